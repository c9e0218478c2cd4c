import { randomBytes } from 'node:crypto';
import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';

/** Where a leaked value was seen, e.g. `deploy/.env:3 (commit 1a2b3c4d5e6f)`; several per value. */
export type LeakLocation = string;

/** What a scan found and asks the server to remediate. A token is sent once, so the server can find it by HMAC. */
export interface LeakReport {
  /** Stored secrets whose value was found (the paths `--known` matched). */
  readonly secrets?: readonly { readonly path: string; readonly where: readonly LeakLocation[] }[];
  /** `hush_` tokens found in the clear. */
  readonly tokens?: readonly { readonly token: string; readonly where: readonly LeakLocation[] }[];
  /** Values that may be dynamic credentials (lease passwords) this server issued: sent once, found by HMAC. */
  readonly credentials?: readonly { readonly value: string; readonly where: readonly LeakLocation[] }[];
  /** Act (rotate, revoke, alert); without it the reply only says what would be done. */
  readonly apply?: boolean;
}

/** One step of a remediation: done (or, in a dry run, planned), to do by hand, or failed. */
export interface RemediationAction {
  readonly kind: 'rotate' | 'revoke' | 'manual' | 'failed';
  /** A secret path, `token <accessor>` or `lease <leaseId>` (never the token or the password). */
  readonly target: string;
  readonly where: readonly LeakLocation[];
  /** rotate: the new version (absent in a dry run). */
  readonly version?: number;
  /** revoke: the identity the token acted for, and every accessor revoked with it (absent in a dry run). */
  readonly identity?: string;
  readonly revoked?: readonly string[];
  /** manual: why Hush cannot do it, and the runbook step to do by hand. failed: the error. */
  readonly reason?: string;
  readonly step?: string;
  readonly code?: string;
}

/** The reply: an incident id (in the audit trail and the alerts), and what was done or would be done. */
export interface RemediationResult {
  readonly incident: string;
  readonly dryRun: boolean;
  readonly actions: RemediationAction[];
}

/** A lease as remediation sees it. */
export interface LeaseRef {
  readonly leaseId: string;
  readonly owner: { readonly identity: string; readonly tokenAccessor: string };
}

/** What remediation works with: narrow slices of services the server already has. */
export interface RemediationDeps {
  readonly secrets: {
    /** Whether a secret exists at `path` (a leak of a deleted secret needs nothing rotated). */
    exists(path: string): Promise<boolean>;
  };
  readonly rotation?: {
    /** Undefined when a policy rotates `path`, else why it cannot be rotated automatically. */
    manualReason(path: string): Promise<string | undefined>;
    rotate(path: string): Promise<{ readonly version: number } | { readonly manual: string }>;
  };
  readonly tokens: {
    /** The live token with this text (found by its HMAC lookup id; the text is never stored), or undefined. */
    findByToken(token: string): Promise<{ readonly accessor: string; readonly identity: string } | undefined>;
    revoke(ref: { readonly accessor: string }): Promise<string[]>;
  };
  readonly leases?: {
    /** The live lease whose password is `value` (found by its HMAC), or undefined. */
    findByCredential(value: string): Promise<LeaseRef | undefined>;
    /** Revoke it at once (the credential is dropped in its database); the ids revoked. */
    revoke(leaseId: string): Promise<string[]>;
  };
  /** Raise a critical alert (the server's alerting engine). */
  readonly alert: (input: {
    readonly rule: string;
    readonly severity: 'critical';
    readonly message: string;
    readonly path: string;
    readonly identity?: string;
    readonly key: string;
    readonly cooldownSeconds: number;
  }) => unknown;
}

/** The alert rule a remediated leak raises. */
export const LEAK_ALERT_RULE = 'secret-leaked';

const STEP_ROTATE_BY_HAND =
  'change the value where it is used (at its provider), `hush put` the new value, then remove the old one from the history (git filter-repo) or treat it as public forever';
const STEP_UNKNOWN_TOKEN =
  'not a live token of this server (expired, revoked, or minted by another Hush server): revoke it there with `hush token revoke --accessor ACCESSOR`';

const summary = (where: readonly LeakLocation[]) =>
  where.length <= 3 ? where.join(', ') : `${where.slice(0, 3).join(', ')} and ${where.length - 3} more`;

/**
 * From finding to fix: rotate every leaked stored secret through its rotation policy, revoke every leaked live
 * `hush_` token (with its children) at once, raise a critical alert naming where each leaked, and list what must be
 * done by hand with its runbook step. A dry run (the default) changes nothing and raises nothing.
 */
export function createRemediation(deps: RemediationDeps) {
  return {
    /**
     * `mayRead` is the caller's `read` check: a secret it may not read is refused the same whether or not it exists
     * (a scan only ever matches readable values, and `sudo` on sys/remediate must not reach, or reveal, the rest).
     */
    async remediate(
      report: LeakReport,
      mayRead: (path: string) => Promise<boolean>,
      mayRevokeLease: (lease: LeaseRef) => Promise<boolean> = async () => false,
    ): Promise<RemediationResult> {
      const incident = `leak-${randomBytes(6).toString('hex')}`;
      const apply = report.apply === true;
      const actions: RemediationAction[] = [];
      const failed = (target: string, where: readonly LeakLocation[], err: unknown): RemediationAction => ({
        kind: 'failed',
        target,
        where,
        code: isHushError(err) ? err.code : 'HUSH_E_INTERNAL',
        reason: isHushError(err) ? err.message : 'unexpected error (see the server log)',
      });
      for (const { path, where } of report.secrets ?? []) {
        try {
          if (!(await mayRead(path))) throw hushError('REMEDIATE_NOT_READABLE', { path });
          actions.push(await remediateSecret(deps, path, where, apply));
        } catch (err) {
          actions.push(failed(path, where, err));
        }
      }
      for (const { token, where } of report.tokens ?? []) {
        try {
          actions.push(await remediateToken(deps, token, where, apply));
        } catch (err) {
          actions.push(failed('token', where, err));
        }
      }
      for (const { value, where } of report.credentials ?? []) {
        try {
          const action = await remediateCredential(deps, value, where, apply, mayRevokeLease);
          if (action) actions.push(action);
        } catch (err) {
          actions.push(failed('credential', where, err));
        }
      }
      if (apply) for (const a of actions) raiseFor(deps, incident, a);
      return { incident, dryRun: !apply, actions };
    },
  };
}

async function remediateSecret(
  deps: RemediationDeps,
  path: string,
  where: readonly LeakLocation[],
  apply: boolean,
): Promise<RemediationAction> {
  if (!(await deps.secrets.exists(path))) {
    return {
      kind: 'manual',
      target: path,
      where,
      reason: 'no secret is stored there any more',
      step: STEP_ROTATE_BY_HAND,
    };
  }
  const manual = deps.rotation
    ? await deps.rotation.manualReason(path)
    : 'rotation is not available on this server';
  if (manual !== undefined || !deps.rotation) {
    return { kind: 'manual', target: path, where, reason: manual ?? '', step: STEP_ROTATE_BY_HAND };
  }
  if (!apply) return { kind: 'rotate', target: path, where };
  const outcome = await deps.rotation.rotate(path);
  if ('manual' in outcome) {
    return { kind: 'manual', target: path, where, reason: outcome.manual, step: STEP_ROTATE_BY_HAND };
  }
  return { kind: 'rotate', target: path, where, version: outcome.version };
}

async function remediateToken(
  deps: RemediationDeps,
  token: string,
  where: readonly LeakLocation[],
  apply: boolean,
): Promise<RemediationAction> {
  const found = await deps.tokens.findByToken(token);
  if (!found) {
    return {
      kind: 'manual',
      target: 'token (unknown here)',
      where,
      reason: 'no live token matches',
      step: STEP_UNKNOWN_TOKEN,
    };
  }
  const target = `token ${found.accessor}`;
  if (!apply) return { kind: 'revoke', target, where, identity: found.identity };
  const revoked = await deps.tokens.revoke({ accessor: found.accessor });
  return { kind: 'revoke', target, where, identity: found.identity, revoked };
}

/**
 * A value that may be a lease password: the lease it belongs to, revoked at once. A value that matches no lease the
 * caller may revoke yields nothing (most candidates are not lease passwords, and a foreign lease is not revealed).
 */
async function remediateCredential(
  deps: RemediationDeps,
  value: string,
  where: readonly LeakLocation[],
  apply: boolean,
  mayRevoke: (lease: LeaseRef) => Promise<boolean>,
): Promise<RemediationAction | undefined> {
  const lease = deps.leases ? await deps.leases.findByCredential(value) : undefined;
  if (!lease || !deps.leases || !(await mayRevoke(lease))) return undefined;
  const target = `lease ${lease.leaseId}`;
  const identity = lease.owner.identity;
  if (!apply) return { kind: 'revoke', target, where, identity };
  return { kind: 'revoke', target, where, identity, revoked: await deps.leases.revoke(lease.leaseId) };
}

function raiseFor(deps: RemediationDeps, incident: string, a: RemediationAction): void {
  const done =
    a.kind === 'rotate'
      ? `rotated to version ${a.version}`
      : a.kind === 'revoke'
        ? `revoked (${a.revoked?.length ?? 0} ${a.target.startsWith('lease ') ? 'lease' : 'token'}(s))`
        : a.kind === 'manual'
          ? `NOT rotated: ${a.reason}; by hand: ${a.step}`
          : `remediation FAILED (${a.code}): ${a.reason}`;
  deps.alert({
    rule: LEAK_ALERT_RULE,
    severity: 'critical',
    path: a.target,
    ...(a.identity ? { identity: a.identity } : {}),
    message: `${a.target} leaked at ${summary(a.where)}; ${done} (incident ${incident})`,
    key: `${LEAK_ALERT_RULE}:${incident}:${a.target}`,
    cooldownSeconds: 0,
  });
}

/** The remediation service API. */
export type Remediation = ReturnType<typeof createRemediation>;

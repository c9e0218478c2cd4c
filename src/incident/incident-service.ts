import type { AuditRecord } from '../core/audit/audit-record.js';
import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import {
  type BlastRadius,
  type BlastRadiusQuery,
  blastRadiusAccumulator,
} from '../core/incident/blast-radius.js';
import type { ListSecretsOptions, ListSecretsResult } from '../store/secrets/list-secrets.js';

/** What revoking an identity did. */
export interface RevokeIdentityResult {
  readonly identity: string;
  /** Accessors of every token revoked (each token's children included). */
  readonly tokensRevoked: string[];
  /** Accessors of the secret ids revoked (an AppRole identity, `approle:<role>`: every secret id of its role). */
  readonly secretIdsRevoked: string[];
  /** Dynamic-credential leases revoked now, and those queued because their database was unreachable. */
  readonly leasesRevoked: string[];
  readonly leasesQueued: string[];
}

/** One secret `incident rotate` could not rotate automatically, and why (what the operator must do instead). */
export interface ManualRotation {
  readonly path: string;
  readonly reason: string;
}

/** What rotating a scope did. */
export interface RotateScopeResult {
  readonly prefix: string;
  readonly rotated: { readonly path: string; readonly version: number }[];
  readonly manual: ManualRotation[];
  readonly failed: { readonly path: string; readonly code: string; readonly message: string }[];
}

/** How one secret gets rotated: a new version, or the reason it must be rotated by hand. */
export type RotateOne = (path: string) => Promise<{ readonly version: number } | { readonly manual: string }>;

/** What the incident commands work with; each is a narrow slice of a service the server already has. */
export interface IncidentDeps {
  readonly tokens: {
    list(): Promise<readonly { readonly accessor: string; readonly identity: string }[]>;
    revoke(ref: { readonly accessor: string }): Promise<string[]>;
  };
  /** The AppRole secret ids behind an identity: revoked with its tokens, so a leaked one cannot log in again. */
  readonly approle?: { revokeSecretIdsOf(identity: string): Promise<string[]> };
  /** Dynamic-credential leases, when that engine is configured. */
  readonly leases?: {
    revokeLeasesOf(q: {
      readonly identity: string;
      readonly tokenAccessors: readonly string[];
    }): Promise<{ revoked: string[]; queued: readonly { readonly leaseId: string }[] }>;
  };
  readonly secrets: { list(prefix: string, options?: ListSecretsOptions): Promise<ListSecretsResult> };
  /** Rotation per secret (the rotation engine); without it every secret is reported as manual. */
  readonly rotateOne?: RotateOne;
  /** Seal this node (and, through the persistent lockdown flag, the others). */
  readonly lockdown: () => Promise<void>;
  /** Every audit record, oldest first. */
  readonly auditRecords: () => AsyncIterable<AuditRecord>;
}

/** Most secrets one `incident rotate` call handles; a larger scope is refused with a hint to narrow it. */
export const MAX_ROTATE_SCOPE = 10_000;

/**
 * The incident-response use cases behind `hush incident` and `/v1/sys/incident/*`: contain (revoke an identity),
 * measure (blast radius from the audit trail), rotate a scope, lock down.
 */
export function createIncidentService(deps: IncidentDeps) {
  return {
    /**
     * Revoke every token (with its children) and every lease held by `identity`, and for an AppRole identity every
     * secret id of its role first (so no new login can follow the revocation).
     */
    async revokeIdentity(identity: string): Promise<RevokeIdentityResult> {
      if (identity.trim() === '') throw hushError('REVOKE_NEEDS_IDENTITY');
      const secretIdsRevoked = deps.approle ? await deps.approle.revokeSecretIdsOf(identity) : [];
      const tokensRevoked: string[] = [];
      for (const t of await deps.tokens.list()) {
        if (t.identity !== identity || tokensRevoked.includes(t.accessor)) continue;
        try {
          tokensRevoked.push(...(await deps.tokens.revoke({ accessor: t.accessor })));
        } catch (err) {
          // Revoked meanwhile (e.g. as a child of a token revoked just before): the goal is reached.
          if (!isHushError(err, 'HUSH_E_NOT_FOUND')) throw err;
        }
      }
      // Leases of the identity, and of every token revoked with its trees (a child may act for another identity).
      const leases = deps.leases
        ? await deps.leases.revokeLeasesOf({ identity, tokenAccessors: tokensRevoked })
        : { revoked: [], queued: [] };
      return {
        identity,
        tokensRevoked: [...new Set(tokensRevoked)],
        secretIdsRevoked,
        leasesRevoked: leases.revoked,
        leasesQueued: leases.queued.map((q) => q.leaseId),
      };
    },

    /** Rotate every secret below `prefix`; report what was rotated, what needs a human and what failed. */
    async rotateScope(prefix: string): Promise<RotateScopeResult> {
      const paths = await allPaths(deps.secrets, prefix);
      const result: RotateScopeResult = { prefix, rotated: [], manual: [], failed: [] };
      for (const path of paths) {
        if (!deps.rotateOne) {
          result.manual.push({ path, reason: 'rotation is not available on this server' });
          continue;
        }
        try {
          const outcome = await deps.rotateOne(path);
          if ('manual' in outcome) result.manual.push({ path, reason: outcome.manual });
          else result.rotated.push({ path, version: outcome.version });
        } catch (err) {
          result.failed.push({
            path,
            code: isHushError(err) ? err.code : 'HUSH_E_INTERNAL',
            message: isHushError(err) ? err.message : 'unexpected error (see the server log)',
          });
        }
      }
      return result;
    },

    /** Who read, changed or was refused `query.path` in the period, from the audit trail. */
    async report(query: BlastRadiusQuery): Promise<BlastRadius> {
      const acc = blastRadiusAccumulator(query);
      for await (const r of deps.auditRecords()) acc.add(r);
      return acc.result();
    },

    /** Seal now. */
    lockdown: () => deps.lockdown(),
  };
}

/** The incident service API. */
export type IncidentService = ReturnType<typeof createIncidentService>;

async function allPaths(secrets: IncidentDeps['secrets'], prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await secrets.list(prefix, { recursive: true, limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const e of page.entries) if (e.kind === 'secret') out.push(e.path);
    if (out.length > MAX_ROTATE_SCOPE) {
      throw hushError('MORE_THAN_SECRETS_BELOW', { maxRotateScope: MAX_ROTATE_SCOPE, prefix });
    }
    cursor = page.cursor;
  } while (cursor);
  return out;
}

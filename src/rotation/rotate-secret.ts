import { randomBytes } from 'node:crypto';
import type { AuditEventInput } from '../audit/audit-log.js';
import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { generateSecret } from '../core/generate/index.js';
import type { SecretValue } from '../core/secrets/value-codec.js';
import type { HushStore } from '../store/index.js';
import { type OutboundGuard, runHook } from './hooks.js';
import { generatorRequestOf, type RotationPolicy } from './policy-schema.js';
import type { PolicyStore, RotationOutcome, RotationTrigger } from './policy-store.js';
import { restorePostgresRole, rotatePostgresRole } from './postgres-role.js';

/** The store methods a rotation uses. */
export type RotationStore = Pick<
  HushStore,
  'get' | 'put' | 'promote' | 'cancelPending' | 'versions' | 'list'
>;

/** Raised (through the injected callback) whenever a rotation fails; no value, only where and why. */
export interface RotationFailedEvent {
  readonly path: string;
  readonly trigger: RotationTrigger;
  readonly rotator: RotationPolicy['rotator'];
  /** The staged version that was cancelled, when one was written. */
  readonly version?: number;
  readonly code: string;
  readonly message: string;
  readonly at: string;
}

/** The result of rotating one secret. */
export interface RotationResult {
  readonly path: string;
  readonly outcome: 'rotated' | 'failed';
  readonly trigger: RotationTrigger;
  /** The new current version (rotated) or the cancelled staged one (failed, when it was written). */
  readonly version?: number;
  /** The version that was current before (now `previous` when rotated). */
  readonly previousVersion?: number;
  readonly code?: string;
  readonly message?: string;
  readonly nextDueAt: string;
}

/** What a rotation needs beyond the store. */
export interface RotateDeps {
  readonly store: RotationStore;
  readonly policies: PolicyStore;
  readonly clock: () => Date;
  /** Append an audit record (the audit log's `append` shape); absent in local CLI mode. */
  readonly audit?: (event: AuditEventInput) => Promise<unknown>;
  /** Told about every failure (the alerts wiring); its own errors are ignored. */
  readonly onRotationFailed?: (event: RotationFailedEvent) => void | Promise<void>;
  /** URL hooks and postgres-role connections go only to the admin's allow-list (server); absent in local CLI mode. */
  readonly outbound?: OutboundGuard;
}

/** Who asked, for metadata and audit. */
export interface RotateContext {
  readonly trigger: RotationTrigger;
  readonly actor: string;
  /** The HTTP request id when there is one; scheduled runs get a fresh `rotation-...` id. */
  readonly requestId?: string;
}

const FAILURE_RETRY_MS = 3_600_000;

function coded(err: unknown): { code: string; message: string } {
  if (isHushError(err)) return { code: err.code, message: err.message };
  // Unexpected errors may carry anything in their text (a driver echoing SQL): report only their kind.
  return {
    code: 'HUSH_E_INTERNAL',
    message: `rotation step failed unexpectedly (${(err as Error)?.name ?? 'error'})`,
  };
}

async function servedVersion(
  store: RotationStore,
  path: string,
): Promise<{ version: number; value: SecretValue } | undefined> {
  try {
    const read = await store.get(path);
    return { version: read.version, value: read.value };
  } catch (err) {
    if (isHushError(err, 'HUSH_E_NOT_FOUND')) return undefined;
    throw err;
  }
}

async function adminUrlOf(store: RotationStore, policy: RotationPolicy): Promise<string> {
  const read = await store.get(policy.connection as string);
  const value = read.value;
  const url = typeof value === 'string' ? value : value['url'];
  if (typeof url !== 'string')
    throw hushError('CONNECTION_SECRET_MUST_HOLD_ADMIN', { connection: policy.connection });
  return url;
}

/**
 * Rotate one secret under `policy`: generate, stage as pending, install (postgres-role: ALTER ROLE + login check),
 * run the hook, promote. Any failure cancels the pending label (current is never touched), restores a changed
 * database password, records the failure in the state, the audit trail and the alert callback. Never throws for a
 * failed rotation step: the outcome is in the result (a batch of rotations must report every secret).
 */
export async function rotateSecret(
  deps: RotateDeps,
  path: string,
  policy: RotationPolicy,
  ctx: RotateContext,
): Promise<RotationResult> {
  const started = deps.clock();
  let staged: number | undefined;
  let previous: number | undefined;
  let pgChange: Parameters<typeof restorePostgresRole>[0] | undefined;
  let dbChanged = false;
  let failure: { code: string; message: string } | undefined;
  try {
    const value = generateSecret(generatorRequestOf(policy));
    const before = await servedVersion(deps.store, path);
    previous = before?.version;
    const put = await deps.store.put(path, value, { actor: ctx.actor, stage: true });
    staged = put.version;
    if (policy.rotator === 'postgres-role') {
      if (typeof value !== 'string') throw hushError('ROLE_PASSWORD_MUST_STRING');
      pgChange = {
        adminUrl: await adminUrlOf(deps.store, policy),
        role: policy.role as string,
        newPassword: value,
        ...(typeof before?.value === 'string' ? { oldPassword: before.value } : {}),
        ...(deps.outbound ? { outbound: deps.outbound } : {}),
      };
      await rotatePostgresRole(pgChange);
      dbChanged = true;
    }
    if (policy.hook) await runHook(policy.hook, { path, version: staged, value }, deps.outbound);
    await deps.store.promote(path, { actor: ctx.actor, cas: staged });
  } catch (err) {
    failure = coded(err);
    // Losing the promote race means another rotation staged (and set) a newer password: restoring ours would undo it.
    const lostRace = isHushError(err, 'HUSH_E_CAS_CONFLICT');
    if (dbChanged && pgChange && !lostRace) {
      const restored = await restorePostgresRole(pgChange);
      failure = {
        code: failure.code,
        message: `${failure.message}; ${restored ? 'the role password was restored' : 'the role password could NOT be restored: set it to the current version by hand'}`,
      };
    }
    if (staged !== undefined)
      await deps.store.cancelPending(path, { actor: ctx.actor, cas: staged }).catch(() => undefined);
  }
  return finish(deps, path, policy, ctx, started, { staged, previous, failure });
}

async function finish(
  deps: RotateDeps,
  path: string,
  policy: RotationPolicy,
  ctx: RotateContext,
  started: Date,
  r: {
    staged: number | undefined;
    previous: number | undefined;
    failure: { code: string; message: string } | undefined;
  },
): Promise<RotationResult> {
  const at = started.toISOString();
  const nextDueAt = new Date(
    started.getTime() + (r.failure ? Math.min(policy.intervalMs, FAILURE_RETRY_MS) : policy.intervalMs),
  ).toISOString();
  const last: RotationOutcome = {
    outcome: r.failure ? 'failed' : 'rotated',
    at,
    trigger: ctx.trigger,
    ...(r.staged !== undefined ? { version: r.staged } : {}),
    ...(r.failure ?? {}),
  };
  await deps.policies.updateState(path, (old) => ({
    path,
    nextDueAt,
    last,
    ...(r.failure ? { ...(old?.flagged ? { flagged: true } : {}) } : {}),
    ...(r.failure ? (old?.lastSuccessAt ? { lastSuccessAt: old.lastSuccessAt } : {}) : { lastSuccessAt: at }),
  }));
  const result: RotationResult = {
    path,
    outcome: last.outcome,
    trigger: ctx.trigger,
    ...(r.staged !== undefined ? { version: r.staged } : {}),
    ...(r.previous !== undefined ? { previousVersion: r.previous } : {}),
    ...(r.failure ?? {}),
    nextDueAt,
  };
  if (deps.audit) {
    await deps.audit({
      requestId: ctx.requestId ?? `rotation-${randomBytes(8).toString('hex')}`,
      operation: 'secret.rotate',
      outcome: r.failure ? 'error' : 'allowed',
      identity: ctx.actor,
      path,
      errorCode: r.failure?.code ?? null,
      details: {
        trigger: ctx.trigger,
        rotator: policy.rotator,
        ...(r.staged !== undefined ? { version: r.staged } : {}),
        ...(r.previous !== undefined ? { previousVersion: r.previous } : {}),
        result: last.outcome,
      },
    });
  }
  if (r.failure && deps.onRotationFailed) {
    const event: RotationFailedEvent = {
      path,
      trigger: ctx.trigger,
      rotator: policy.rotator,
      ...(r.staged !== undefined ? { version: r.staged } : {}),
      code: r.failure.code,
      message: r.failure.message,
      at,
    };
    try {
      await deps.onRotationFailed(event);
    } catch {
      // Alerting must never turn a recorded failure into a different one.
    }
  }
  return result;
}

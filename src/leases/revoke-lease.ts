import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { type EngineRole, loadEngine, roleKey } from '../engines/engine-records.js';
import { engineTarget, revokeCredentials } from '../engines/postgres/pg-engine.js';
import type { OutboundGuard } from '../net/outbound-allow-list.js';
import { retryCas, type SealedView } from '../store/sealed-view/index.js';
import { type LeaseRecord, leaseKey, type RevocationReason } from './lease-records.js';

/** Retry spacing of failed revocations: base * 2^(attempts-1), capped. */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

/** Default backoff: 5 s, doubling, at most 10 min between attempts. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, capMs: 10 * 60_000 };

/** The outcome of one revocation: done in the database, or queued for a retry. */
export type RevokeOutcome =
  | { readonly leaseId: string; readonly status: 'revoked' }
  | {
      readonly leaseId: string;
      readonly status: 'queued';
      readonly error: string;
      readonly nextAttemptAt: string;
    };

/** What revocation needs. */
export interface RevokeDeps {
  readonly records: SealedView;
  /** The server's outbound allow-list, checked when an engine connection is opened (absent: unrestricted). */
  readonly outbound?: OutboundGuard;
  readonly clock: () => Date;
  readonly backoff: BackoffOptions;
}

/** Delay before attempt number `attempts + 1`, after `attempts` failures. */
export function backoffDelay(backoff: BackoffOptions, attempts: number): number {
  const exp = Math.min(attempts - 1, 30);
  return Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, exp));
}

/**
 * Revoke one lease. The lease is first marked as queued (persisted), then the revocation SQL runs; only when it
 * succeeded is the lease deleted and reported revoked. A failure keeps it queued with the next attempt time, so a
 * crash or an unreachable database never loses it. Throws HUSH_E_NOT_FOUND when no such lease exists.
 */
export async function revokeLease(
  deps: RevokeDeps,
  leaseId: string,
  reason: RevocationReason,
): Promise<RevokeOutcome> {
  const key = leaseKey(leaseId);
  const lease = await retryCas(async () => {
    const found = await deps.records.get<LeaseRecord>(key);
    if (!found) throw hushError('NO_LEASE_MAY_REVOKED_ALREADY', { leaseId });
    if (found.value.revocation) return found.value;
    const now = deps.clock().toISOString();
    const marked: LeaseRecord = {
      ...found.value,
      revocation: { reason, requestedAt: now, attempts: 0, nextAttemptAt: now },
    };
    await deps.records.batch([{ op: 'put', key, value: marked, expectedRevision: found.revision }]);
    return marked;
  });
  return attemptRevocation(deps, lease);
}

/** One attempt at a queued lease's revocation SQL; deletes the lease on success, reschedules it on failure. */
export async function attemptRevocation(deps: RevokeDeps, lease: LeaseRecord): Promise<RevokeOutcome> {
  const key = leaseKey(lease.leaseId);
  try {
    const engine = engineTarget(await loadEngine(deps.records, lease.engine), deps.outbound);
    // The role's current statements win, so fixing a broken revocation template also unblocks queued leases; the
    // lease's copy serves when the role is gone.
    const role = await deps.records.get<EngineRole>(roleKey(lease.engine, lease.role));
    await revokeCredentials(engine, role?.value.revocationSql ?? lease.revocationSql, lease.username);
  } catch (err) {
    if (!isHushError(err) || err.code === 'HUSH_E_SEALED' || err.code === 'HUSH_E_STORAGE') throw err;
    return reschedule(deps, lease.leaseId, err.message);
  }
  await deps.records.batch([{ op: 'delete', key }]);
  return { leaseId: lease.leaseId, status: 'revoked' };
}

async function reschedule(deps: RevokeDeps, leaseId: string, error: string): Promise<RevokeOutcome> {
  const key = leaseKey(leaseId);
  return retryCas(async () => {
    const found = await deps.records.get<LeaseRecord>(key);
    // Gone: a concurrent attempt (another request, the job) finished it.
    if (!found) return { leaseId, status: 'revoked' as const };
    const prev = found.value.revocation;
    const attempts = (prev?.attempts ?? 0) + 1;
    const nextAttemptAt = new Date(
      deps.clock().getTime() + backoffDelay(deps.backoff, attempts),
    ).toISOString();
    const updated: LeaseRecord = {
      ...found.value,
      revocation: {
        reason: prev?.reason ?? 'revoked',
        requestedAt: prev?.requestedAt ?? deps.clock().toISOString(),
        attempts,
        nextAttemptAt,
        lastError: error,
      },
    };
    await deps.records.batch([{ op: 'put', key, value: updated, expectedRevision: found.revision }]);
    return { leaseId, status: 'queued' as const, error, nextAttemptAt };
  });
}

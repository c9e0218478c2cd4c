import { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { OutboundGuard } from '../net/outbound-allow-list.js';
import type { SealedView } from '../store/sealed-view/index.js';
import { issueLease, type LeaseOwner, type OwnerLive } from './issue-lease.js';
import {
  checkLeaseId,
  checkLeasePrefix,
  LEASE_PREFIX,
  type LeaseRecord,
  type LeaseView,
  leaseKey,
  viewLease,
} from './lease-records.js';
import { renewLease } from './renew-lease.js';
import { attemptRevocation, type BackoffOptions, type RevokeOutcome, revokeLease } from './revoke-lease.js';

/** Several revocations: those done in the database, and those queued for a retry. */
export interface RevokeSummary {
  readonly revoked: string[];
  readonly queued: { leaseId: string; error: string; nextAttemptAt: string }[];
}

/** What one expiry pass did. */
export interface ExpiryPass {
  readonly expired: number;
  readonly retried: number;
  readonly revoked: number;
  readonly queued: number;
}

function summarise(outcomes: readonly RevokeOutcome[]): RevokeSummary {
  const out: RevokeSummary = { revoked: [], queued: [] };
  for (const o of outcomes) {
    if (o.status === 'revoked') out.revoked.push(o.leaseId);
    else out.queued.push({ leaseId: o.leaseId, error: o.error, nextAttemptAt: o.nextAttemptAt });
  }
  return out;
}

/** Leases: issue, look up, renew, revoke (one, by prefix, by owner) and the expiry pass. */
export function createLeaseService(deps: {
  readonly records: SealedView;
  readonly clock: () => Date;
  readonly backoff: BackoffOptions;
  /** The server's outbound allow-list, checked when an engine connection is opened (absent: unrestricted). */
  readonly outbound?: OutboundGuard;
}) {
  const { records, clock } = deps;

  async function all(prefix: string): Promise<LeaseRecord[]> {
    const out: LeaseRecord[] = [];
    for (const key of await records.keys(`${LEASE_PREFIX}${prefix}`)) {
      const found = await records.get<LeaseRecord>(key);
      if (found) out.push(found.value);
    }
    return out;
  }

  async function revokeMany(
    leases: readonly LeaseRecord[],
    reason: 'revoked' | 'incident',
  ): Promise<RevokeSummary> {
    const outcomes: RevokeOutcome[] = [];
    for (const l of leases) {
      try {
        outcomes.push(await revokeLease(deps, l.leaseId, reason));
      } catch (err) {
        // Revoked by someone else between the listing and now: that is the outcome we wanted.
        if (err instanceof HushError && err.code === 'HUSH_E_NOT_FOUND')
          outcomes.push({ leaseId: l.leaseId, status: 'revoked' });
        else throw err;
      }
    }
    return summarise(outcomes);
  }

  /**
   * Revoke every lease owned by `identity` or issued to one of the tokens `tokenAccessor` / `tokenAccessors` (a
   * lease matching any goes). Throws HUSH_E_USAGE when none is given. `reason` is `incident` by default.
   */
  async function revokeLeasesOf(
    who: { identity?: string; tokenAccessor?: string; tokenAccessors?: readonly string[] },
    reason: 'revoked' | 'incident' = 'incident',
  ): Promise<RevokeSummary> {
    const tokens = new Set(who.tokenAccessors ?? []);
    if (who.tokenAccessor) tokens.add(who.tokenAccessor);
    if (!who.identity && tokens.size === 0) {
      throw hushError('LEASE_REVOKE_NEEDS_OWNER');
    }
    const match = (l: LeaseRecord) =>
      (who.identity !== undefined && l.owner.identity === who.identity) || tokens.has(l.owner.tokenAccessor);
    return revokeMany((await all('creds/')).filter(match), reason);
  }

  return {
    /** Issue credentials for `engine/role` owned by `owner`. */
    issue: (engine: string, role: string, owner: LeaseOwner, ownerLive?: OwnerLive) =>
      issueLease(deps, engine, role, owner, ownerLive),
    /** The stored lease, or undefined. */
    async find(leaseId: string): Promise<LeaseRecord | undefined> {
      return (await records.get<LeaseRecord>(leaseKey(checkLeaseId(leaseId))))?.value;
    },
    /**
     * The live lease whose password is `value` (by its keyed digest; the value is never stored), or undefined. Reads
     * every lease: this serves remediation of a leak, not a hot path.
     */
    async findByCredential(value: string): Promise<LeaseRecord | undefined> {
      const id = await records.lookupId(value);
      return (await all('creds/')).find((l) => l.credentialId === id && !l.revocation);
    },
    /** Renew a lease (see {@link renewLease}). */
    async renew(leaseId: string, incrementMs?: number): Promise<LeaseView> {
      const found = await records.get<LeaseRecord>(leaseKey(checkLeaseId(leaseId)));
      if (!found) throw hushError('NO_LEASE_HUSH_LEASE_LIST', { leaseId });
      return renewLease(deps, found.value, incrementMs);
    },
    /** Revoke one lease; queued (not revoked) when the database cannot be reached. */
    async revoke(leaseId: string): Promise<RevokeSummary> {
      return summarise([await revokeLease(deps, checkLeaseId(leaseId), 'revoked')]);
    },
    /** Revoke every lease whose id starts with `prefix` (e.g. `creds/main/readonly`). */
    async revokePrefix(prefix: string): Promise<RevokeSummary> {
      return revokeMany(await all(checkLeasePrefix(prefix)), 'revoked');
    },
    /** Leases below `prefix` (default all), as views. */
    async list(prefix = 'creds/'): Promise<LeaseView[]> {
      const now = clock().getTime();
      return (await all(checkLeasePrefix(prefix))).map((l) => viewLease(l, now));
    },
    revokeLeasesOf,
    /**
     * Revoke every lease issued to one of `accessors` (tokens that were just revoked): credentials must not outlive
     * the token that obtained them. None given, nothing is read.
     */
    async revokeLeasesOfTokens(accessors: readonly string[]): Promise<RevokeSummary> {
      if (accessors.length === 0) return { revoked: [], queued: [] };
      return revokeLeasesOf({ tokenAccessors: accessors }, 'revoked');
    },
    /**
     * One expiry pass: revoke leases whose expiry has passed by this server's clock (never earlier), and retry
     * queued revocations whose backoff has elapsed. Idempotent; safe to repeat on a new leader.
     */
    async expirePass(signal?: AbortSignal): Promise<ExpiryPass> {
      let expired = 0;
      let retried = 0;
      let revoked = 0;
      let queued = 0;
      for (const lease of await all('creds/')) {
        if (signal?.aborted) break;
        const now = clock().getTime();
        let outcome: RevokeOutcome | undefined;
        if (lease.revocation) {
          if (Date.parse(lease.revocation.nextAttemptAt) > now) continue;
          retried++;
          outcome = await attemptRevocation(deps, lease);
        } else if (Date.parse(lease.expireAt) <= now) {
          expired++;
          outcome = await revokeLease(deps, lease.leaseId, 'expired').catch((err: unknown) => {
            if (err instanceof HushError && err.code === 'HUSH_E_NOT_FOUND') return undefined;
            throw err;
          });
        }
        if (outcome?.status === 'revoked') revoked++;
        else if (outcome?.status === 'queued') queued++;
      }
      return { expired, retried, revoked, queued };
    },
  };
}

/** The lease service. */
export type LeaseService = ReturnType<typeof createLeaseService>;

import { hushError } from '../core/errors/index.js';

/** Why a lease is being revoked (kept in the queue entry and the audit details). */
export type RevocationReason = 'revoked' | 'expired' | 'incident';

/** A pending revocation: the lease stays in storage, queued, until the database statement succeeds. */
export interface PendingRevocation {
  readonly reason: RevocationReason;
  readonly requestedAt: string;
  /** Failed attempts so far. */
  readonly attempts: number;
  /** Not retried before this instant (exponential backoff). */
  readonly nextAttemptAt: string;
  /** The last failure, one line, scrubbed of secrets. */
  readonly lastError?: string;
}

/** A stored lease (encrypted). It never holds the password. */
export interface LeaseRecord {
  /** `creds/<engine>/<role>/<random>`. */
  readonly leaseId: string;
  readonly engine: string;
  readonly role: string;
  readonly username: string;
  readonly issuedAt: string;
  /** The server stops honouring the lease here; revocation never happens before it (server clock). */
  readonly expireAt: string;
  /** Renewals never go past this. */
  readonly maxExpireAt: string;
  /** The role's statements at issue time, used if the role is deleted (otherwise its current ones run). */
  readonly revocationSql: string;
  readonly renewalSql: string;
  readonly owner: { readonly identity: string; readonly tokenAccessor: string };
  /**
   * HMAC-SHA256 of the password under the identity lookup key (as a token's lookup id; never the password): how a
   * leaked value a scan found leads to its lease. Absent on leases issued before it existed.
   */
  readonly credentialId?: string;
  readonly revocation?: PendingRevocation;
}

/** Storage prefix of every lease; below it, the lease id (so `list(prefix)` finds a lease-id prefix). */
export const LEASE_PREFIX = 'sys/leases/';

/** Storage key of a lease. */
export const leaseKey = (leaseId: string): string => `${LEASE_PREFIX}${leaseId}`;

const LEASE_ID = /^creds\/[a-z0-9][a-z0-9_-]{0,31}\/[a-z0-9][a-z0-9_-]{0,31}\/[0-9a-f]{32}$/;
const LEASE_PREFIX_TEXT = /^creds(\/[a-z0-9_-]{0,32}){0,3}\/?$/;

/** Validate a lease id from a request (HUSH_E_INVALID_INPUT with its expected shape otherwise). */
export function checkLeaseId(text: string): string {
  if (!LEASE_ID.test(text)) {
    throw hushError('LEASE_ID_MALFORMED_EXPECTED_CREDS', { text: text.slice(0, 120) });
  }
  return text;
}

/** Validate a lease-id prefix such as `creds/main/readonly` (HUSH_E_INVALID_INPUT otherwise). */
export function checkLeasePrefix(text: string): string {
  if (!LEASE_PREFIX_TEXT.test(text)) {
    throw hushError('LEASE_PREFIX_MALFORMED_EXPECTED_CREDS', { text: text.slice(0, 120) });
  }
  return text;
}

/** A lease as the API shows it (no statements, times as ISO strings). */
export interface LeaseView {
  readonly leaseId: string;
  readonly username: string;
  readonly issuedAt: string;
  readonly expireAt: string;
  readonly maxExpireAt: string;
  /** Seconds left until expiry at the time of the reply (0 when past). */
  readonly ttl: number;
  readonly renewable: boolean;
  readonly owner: { readonly identity: string; readonly tokenAccessor: string };
  readonly state: 'active' | 'revoking';
  readonly revocation?: PendingRevocation;
}

/** The API view of a lease at `now`. */
export function viewLease(r: LeaseRecord, now: number): LeaseView {
  const expire = Date.parse(r.expireAt);
  return {
    leaseId: r.leaseId,
    username: r.username,
    issuedAt: r.issuedAt,
    expireAt: r.expireAt,
    maxExpireAt: r.maxExpireAt,
    ttl: Math.max(0, Math.floor((expire - now) / 1000)),
    renewable: !r.revocation && expire < Date.parse(r.maxExpireAt) && expire > now,
    owner: r.owner,
    state: r.revocation ? 'revoking' : 'active',
    ...(r.revocation ? { revocation: r.revocation } : {}),
  };
}

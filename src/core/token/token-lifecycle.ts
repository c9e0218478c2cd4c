import { HushError } from '../errors/hush-error.js';
import { hushError } from '../errors/index.js';
import type { TokenType } from './token-format.js';

/**
 * What the server stores about a token (never the token itself: `lookupId` is its HMAC). Pure values: the helpers
 * below return new records and the store decides where to persist them.
 */
export interface TokenRecord {
  /** HMAC-SHA256 of the token (see tokenLookupId): the storage key. */
  readonly lookupId: string;
  /** Non-secret handle for audit, listing and revocation. */
  readonly accessor: string;
  readonly type: TokenType;
  /** Who the token acts for, e.g. `user:amy`, `approle:ci`. */
  readonly identity: string;
  readonly policies: readonly string[];
  /** Accessor of the token that created this one; null for a root of the tree. */
  readonly parentAccessor: string | null;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** When the token stops working unless renewed; null means no expiry. */
  readonly expiresAt: number | null;
  /** Renewals never go past this instant; null means no hard limit. */
  readonly maxExpiresAt: number | null;
  /** The default renewal increment. */
  readonly ttlMs: number;
  readonly renewable: boolean;
  /** Remaining uses; null means unlimited. */
  readonly usesRemaining: number | null;
}

/** What is needed to describe a new token; the caller generates the token and accessor. */
export interface NewTokenSpec {
  readonly lookupId: string;
  readonly accessor: string;
  readonly type: TokenType;
  readonly identity: string;
  readonly policies: readonly string[];
  /** Time to live; 0 means no expiry (only allowed without maxTtlMs and parent expiry). */
  readonly ttlMs: number;
  /** Hard lifetime limit from creation, across renewals. */
  readonly maxTtlMs?: number;
  /** Use limit (e.g. 1 for a one-shot token); omitted means unlimited. */
  readonly numUses?: number;
  readonly renewable?: boolean;
  /** The creating token: a child's policies must be a subset of its parent's and it cannot outlive it. */
  readonly parent?: TokenRecord;
}

/**
 * Describe a new token. Batch tokens are not renewable and recovery tokens not renewable either; a child gets at
 * most its parent's policies and lifetime. Throws HUSH_E_INVALID_INPUT / HUSH_E_FORBIDDEN with how to fix it.
 *
 * @example
 * const rec = createTokenRecord({ lookupId: tokenLookupId(key, t), accessor: generateAccessor(), type: 'service',
 *   identity: 'user:amy', policies: ['payments-read'], ttlMs: 3_600_000, maxTtlMs: 86_400_000 }, Date.now());
 */
export function createTokenRecord(spec: NewTokenSpec, now: number): TokenRecord {
  if (!Number.isSafeInteger(spec.ttlMs) || spec.ttlMs < 0) {
    throw hushError('TOKEN_TTL_MUST_WHOLE_NUMBER', { ttlMs: spec.ttlMs });
  }
  if (spec.maxTtlMs !== undefined && (!Number.isSafeInteger(spec.maxTtlMs) || spec.maxTtlMs <= 0)) {
    throw hushError('TOKEN_MAX_TTL_MUST_POSITIVE', { maxTtlMs: spec.maxTtlMs });
  }
  if (spec.numUses !== undefined && (!Number.isSafeInteger(spec.numUses) || spec.numUses <= 0)) {
    throw hushError('TOKEN_USE_LIMIT_MUST_POSITIVE', { numUses: spec.numUses });
  }
  const parent = spec.parent;
  if (parent) {
    if (parent.type !== 'service') {
      throw hushError('TOKEN_CANNOT_CREATE_TOKENS', { type: parent.type });
    }
    const extra = spec.policies.filter((p) => !parent.policies.includes(p));
    if (extra.length > 0) {
      throw hushError('CHILD_TOKEN_CAN_ONLY_CARRY', { extra: extra.map((p) => `"${p}"`).join(', ') });
    }
  }
  let max = spec.maxTtlMs === undefined ? null : now + spec.maxTtlMs;
  const parentEnd = parent ? earliest(parent.expiresAt, parent.maxExpiresAt) : null;
  max = earliest(max, parentEnd);
  const wanted = spec.ttlMs === 0 ? null : now + spec.ttlMs;
  const expiresAt = earliest(wanted, max);
  return {
    lookupId: spec.lookupId,
    accessor: spec.accessor,
    type: spec.type,
    identity: spec.identity,
    policies: [...new Set(spec.policies)],
    parentAccessor: parent?.accessor ?? null,
    createdAt: now,
    expiresAt,
    maxExpiresAt: max,
    ttlMs: spec.ttlMs,
    renewable: spec.type === 'service' && (spec.renewable ?? true) && expiresAt !== null,
    usesRemaining: spec.numUses ?? null,
  };
}

/** Why a token cannot be used now, or undefined when it can. */
export function tokenUnusableReason(rec: TokenRecord, now: number): string | undefined {
  if (rec.expiresAt !== null && now >= rec.expiresAt) {
    return `the token expired at ${new Date(rec.expiresAt).toISOString()}; log in again`;
  }
  if (rec.usesRemaining !== null && rec.usesRemaining <= 0) return 'the token has no uses left; log in again';
  return undefined;
}

/**
 * Count one use of a token at `now`. Returns the updated record, and `exhausted` when that was its last use (the
 * store should then delete it). Throws HUSH_E_UNAUTHENTICATED when the token is expired or used up.
 */
export function consumeTokenUse(rec: TokenRecord, now: number): { record: TokenRecord; exhausted: boolean } {
  const why = tokenUnusableReason(rec, now);
  if (why) throw new HushError('HUSH_E_UNAUTHENTICATED', why);
  if (rec.usesRemaining === null) return { record: rec, exhausted: false };
  const left = rec.usesRemaining - 1;
  return { record: { ...rec, usesRemaining: left }, exhausted: left === 0 };
}

/**
 * Extend a token's life by `incrementMs` (default: its ttl) from `now`, never past `maxExpiresAt`. Throws
 * HUSH_E_UNAUTHENTICATED when it already expired and HUSH_E_FORBIDDEN when it is not renewable.
 */
export function renewTokenRecord(rec: TokenRecord, now: number, incrementMs?: number): TokenRecord {
  const why = tokenUnusableReason(rec, now);
  if (why) throw new HushError('HUSH_E_UNAUTHENTICATED', why);
  if (!rec.renewable) {
    throw hushError('TOKEN_NOT_RENEWABLE', { type: rec.type });
  }
  const inc = incrementMs ?? rec.ttlMs;
  if (!Number.isSafeInteger(inc) || inc <= 0) {
    throw hushError('RENEW_INCREMENT_MUST_POSITIVE_WHOLE', { inc });
  }
  return { ...rec, expiresAt: earliest(now + inc, rec.maxExpiresAt) };
}

/**
 * Every descendant of `accessor` in the token tree, parents before children (revoking a token revokes them all).
 */
export function tokenDescendants(
  records: Iterable<Pick<TokenRecord, 'accessor' | 'parentAccessor'>>,
  accessor: string,
): string[] {
  const children = new Map<string, string[]>();
  for (const r of records) {
    if (r.parentAccessor === null) continue;
    const list = children.get(r.parentAccessor) ?? [];
    list.push(r.accessor);
    children.set(r.parentAccessor, list);
  }
  const out: string[] = [];
  const seen = new Set([accessor]);
  const queue = [accessor];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const c of children.get(next) ?? []) {
      if (seen.has(c)) continue; // a corrupt cycle must not loop forever
      seen.add(c);
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/**
 * Share a use-limited parent's uses with a child it creates, so a parent and its children together never get more
 * requests than the parent was given. `parentLeft` is what the parent's record holds after this create request was
 * counted (null: no use limit, nothing to share). The create request's own use is handed over, not spent: the parent
 * had `parentLeft + 1` when it asked, the child takes `requested` of them (default and most: all), the parent keeps
 * the rest. So a parent's last use may be a token create, and its child gets that one use. Throws HUSH_E_FORBIDDEN.
 */
export function shareUses(
  parentLeft: number | null,
  requested: number | undefined,
): { readonly child: number | undefined; readonly parentLeft: number | null } {
  if (parentLeft === null) return { child: requested, parentLeft: null };
  const available = Math.max(0, parentLeft) + 1;
  const child = requested ?? available;
  if (child > available) {
    throw hushError('CHILD_USE_LIMITED_TOKEN_GETS', { available });
  }
  return { child, parentLeft: available - child };
}

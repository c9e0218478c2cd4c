import type { TokenType } from '../core/token/token-format.js';
import type { TokenRecord } from '../core/token/token-lifecycle.js';

/** What is stored per token (under its HMAC lookup id, encrypted): the lifecycle record plus labels. */
export interface StoredToken extends TokenRecord {
  readonly displayName: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A token as shown to callers: never the token itself, nor its lookup id. */
export interface TokenView {
  readonly accessor: string;
  readonly type: TokenType;
  readonly identity: string;
  readonly displayName: string;
  readonly policies: readonly string[];
  readonly parentAccessor: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly maxExpiresAt: string | null;
  /** Seconds left before expiry (null: no expiry). */
  readonly ttlSeconds: number | null;
  readonly renewable: boolean;
  readonly usesRemaining: number | null;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Storage key of a token record (by the HMAC of the token). */
export const tokenKey = (lookupId: string): string => `auth/token/${lookupId}`;
/** Storage key of the accessor index (accessor -> lookup id). */
export const accessorKey = (accessor: string): string => `auth/accessor/${accessor}`;
/** Prefix of the children index of a token. */
export const childrenPrefix = (accessor: string): string => `auth/children/${accessor}/`;
/** Storage key of one parent -> child edge. */
export const childKey = (parent: string, child: string): string => `${childrenPrefix(parent)}${child}`;
/** Prefix of every token record. */
export const TOKEN_PREFIX_KEY = 'auth/token/';
/** Prefix of revoked-token tombstones (outside TOKEN_PREFIX_KEY: `-` is not `/`, so listing tokens skips them). */
export const REVOKED_PREFIX_KEY = 'auth/token-revoked/';
/** Storage key of a revoked token's tombstone (by the HMAC of the token, like its record was). */
export const revokedKey = (lookupId: string): string => `${REVOKED_PREFIX_KEY}${lookupId}`;

/**
 * What is kept of an explicitly revoked token until `until` (ms): enough to tell a later use of it as the use of a
 * revoked token, and whose, in the audit trail and alerts. Never the token, never its policies.
 */
export interface RevokedTokenEntry {
  readonly accessor: string;
  readonly identity: string;
  readonly revokedAt: number;
  readonly until: number;
}

/** The accessor index entry. */
export interface AccessorEntry {
  readonly lookupId: string;
}

/** Render a stored token for callers (drops the lookup id). */
export function viewToken(t: StoredToken, now: number): TokenView {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    accessor: t.accessor,
    type: t.type,
    identity: t.identity,
    displayName: t.displayName,
    policies: t.policies,
    parentAccessor: t.parentAccessor,
    createdAt: new Date(t.createdAt).toISOString(),
    expiresAt: iso(t.expiresAt),
    maxExpiresAt: iso(t.maxExpiresAt),
    ttlSeconds: t.expiresAt === null ? null : Math.max(0, Math.floor((t.expiresAt - now) / 1000)),
    renewable: t.renewable,
    usesRemaining: t.usesRemaining,
    metadata: t.metadata,
  };
}

import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { RecordOp, SealedView } from '../store/sealed-view/index.js';
import { REVOKED_PREFIX_KEY, type RevokedTokenEntry, revokedKey, type StoredToken } from './token-records.js';

/**
 * Least time a revoked token is remembered as revoked, even when it would have expired sooner: a leaked token tried
 * an hour after an incident revoke should still be reported as a revoked token of its identity.
 */
const MIN_REVOKED_MEMORY_MS = 86_400_000;
/** The `until` of a tombstone that is never swept. */
const FOREVER = Number.MAX_SAFE_INTEGER;
/** Most tombstones one storage batch of the sweep deletes. */
const SWEEP_BATCH = 500;

/**
 * Tombstones of explicitly revoked tokens (see docs/identity.md): written with the revocation, read when a token is
 * not held (to tell `token-revoked` from `token-unknown`) or when issuing credentials, swept once their time is up.
 */
export function createRevokedTokens(
  records: Pick<SealedView, 'get' | 'keys' | 'batch'>,
  now: () => number,
  systemMaxMs: number,
) {
  async function live(lookupId: string): Promise<RevokedTokenEntry | undefined> {
    const grave = await records.get<RevokedTokenEntry>(revokedKey(lookupId));
    return grave && grave.value.until > now() ? grave.value : undefined;
  }

  return {
    /** The op writing `token`'s tombstone, revoked at `at`: kept while it could have lived, and at least a day. */
    tombstoneOp(token: StoredToken, at: number): RecordOp {
      // A token that could live for ever (the root token) is remembered for ever: a copy of its row put back into
      // storage at any later time must still be refused (see docs/security.md).
      const couldLiveTo =
        token.maxExpiresAt ?? token.expiresAt ?? (token.parentAccessor === null ? FOREVER : at + systemMaxMs);
      const value: RevokedTokenEntry = {
        accessor: token.accessor,
        identity: token.identity,
        revokedAt: at,
        until: Math.max(couldLiveTo, at + MIN_REVOKED_MEMORY_MS),
      };
      return { op: 'put', key: revokedKey(token.lookupId), value };
    },

    /**
     * The error for a well-formed (checksum-valid) token that is not held. With a live tombstone it is a revoked
     * token (`token-revoked`), and the error names whose for the audit trail only (`auditSubject`, not in the reply);
     * otherwise it was removed after expiry, or never issued (`token-unknown`). Alert rules key on the reason.
     */
    async notHeld(lookupId: string): Promise<HushError> {
      const grave = await live(lookupId);
      if (grave) {
        const err = hushError('TOKEN_REVOKED_GET_NEW_ONE', {}, { reason: 'token-revoked' });
        err.auditSubject = { identity: grave.identity, tokenAccessor: grave.accessor };
        return err;
      }
      return hushError('TOKEN_NOT_VALID_REVOKED_EXPIRED', {}, { reason: 'token-unknown' });
    },

    /**
     * The error for a token whose row is held although its tombstone is live: the row was put back into storage
     * after the revocation (a replayed, rolled-back row). Refused like a revoked token, but recorded with the reason
     * `token-replayed` so the audit trail and the token-misuse alert tell the operator that storage was tampered with.
     */
    async replayed(lookupId: string): Promise<HushError | undefined> {
      const grave = await live(lookupId);
      if (!grave) return undefined;
      const err = hushError('TOKEN_REVOKED_GET_NEW_ONE', {}, { reason: 'token-replayed' });
      err.auditSubject = { identity: grave.identity, tokenAccessor: grave.accessor };
      return err;
    },

    /** Whether the token with `lookupId` was explicitly revoked and is still remembered so. */
    async wasRevoked(lookupId: string): Promise<boolean> {
      return (await live(lookupId)) !== undefined;
    },

    /**
     * Forget tombstones whose time is up (a leader-only background job calls this); returns how many went. A later
     * use of such a token is then reported as an unknown token.
     */
    async sweep(): Promise<number> {
      const t = now();
      const gone: RecordOp[] = [];
      for (const key of await records.keys(REVOKED_PREFIX_KEY)) {
        const entry = await records.get<RevokedTokenEntry>(key);
        if (entry && entry.value.until <= t)
          gone.push({ op: 'delete', key, expectedRevision: entry.revision });
      }
      // In slices, so a day of mass revocation never becomes one long write.
      for (let i = 0; i < gone.length; i += SWEEP_BATCH) await records.batch(gone.slice(i, i + SWEEP_BATCH));
      return gone.length;
    },
  };
}

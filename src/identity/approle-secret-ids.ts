import { createHash } from 'node:crypto';
import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { generateSecretId } from '../core/token/token-ids.js';
import { type RecordOp, retryCas, type SealedView } from '../store/sealed-view/index.js';

/**
 * Secret ids live for this long unless the role says otherwise (`secretIdTtl`): a secret id provisioned once and
 * forgotten must not stay a working credential for ever.
 */
export const DEFAULT_SECRET_ID_TTL_MS = 30 * 86_400_000;

/** What is stored per secret id (under the HMAC of role name + secret id). */
interface SecretIdEntry {
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly usesRemaining: number | null;
}

/**
 * What is kept of a revoked or destroyed secret id, under a key of its own: a later login with it is told so
 * (`revoked`) or answered as unknown (`destroyed`), and its row put back into storage is refused (a replay).
 */
interface SecretIdGrave {
  readonly accessor: string;
  readonly told: boolean;
  readonly until: number;
}

/** A secret id as listed: its accessor and limits, never the secret id (nor its HMAC). */
export interface SecretIdView {
  readonly accessor: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly usesRemaining: number | null;
}

/** A new secret id, returned once (storage keeps only its HMAC). */
export interface IssuedSecretId {
  readonly secretId: string;
  readonly accessor: string;
  readonly expiresAt: string | null;
  readonly usesRemaining: number | null;
}

/** The role limits that shape a new secret id (0: default TTL, no use limit). */
interface SecretIdLimits {
  readonly name: string;
  readonly secretIdTtlMs: number;
  readonly secretIdNumUses: number;
}

const prefixOf = (name: string) => `auth/approle/secret-id/${name}/`;
/** Tombstones sit outside the rows' prefix (`-revoked/` is not `/`), so listing secret ids never meets them. */
const graveOf = (rowKey: string) =>
  rowKey.replace('auth/approle/secret-id/', 'auth/approle/secret-id-revoked/');
/** A tombstone outlives its secret id, and lasts at least this long, so a later use is told as such. */
const TOMBSTONE_MS = 86_400_000;
/** `until` of a tombstone for a secret id that never expires. */
const FOREVER = Number.MAX_SAFE_INTEGER;

/**
 * The accessor of the secret id stored under `key`: a non-secret handle (a hash of the storage key, which is itself an
 * HMAC of the secret id), so listing and revoking need no second index and rows written before accessors existed
 * have one too.
 */
function accessorOf(key: string): string {
  return `sid_${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Secret ids of AppRole roles: issue, check and count a login's use, list by accessor, revoke, destroy. */
export function createSecretIds(records: SealedView, now: () => number) {
  const keyOf = async (name: string, secretId: string) =>
    // The role name is mixed in so that a secret id is only ever valid for the role it was issued to.
    `${prefixOf(name)}${await records.lookupId(`${name}\u0000${secretId}`)}`;

  async function findByAccessor(name: string, accessor: string): Promise<string> {
    for (const key of await records.keys(prefixOf(name))) if (accessorOf(key) === accessor) return key;
    throw hushError('ROLE_NO_SECRET_ID_ACCESSOR', { name, accessor: accessor.slice(0, 64) });
  }

  /** The ops removing the secret id at `key` and leaving its tombstone. */
  function buryOps(key: string, entry: SecretIdEntry, told: boolean, t: number): RecordOp[] {
    const grave: SecretIdGrave = {
      accessor: accessorOf(key),
      told,
      until: entry.expiresAt === null ? FOREVER : Math.max(entry.expiresAt, t + TOMBSTONE_MS),
    };
    return [
      { op: 'delete', key },
      { op: 'put', key: graveOf(key), value: grave },
    ];
  }

  /** Revoke every live secret id below `name`; returns their accessors. */
  async function revokeAll(name: string): Promise<string[]> {
    const t = now();
    const ops: RecordOp[] = [];
    const revoked: string[] = [];
    for (const key of await records.keys(prefixOf(name))) {
      const entry = await records.get<SecretIdEntry>(key);
      if (!entry) continue;
      ops.push(...buryOps(key, entry.value, true, t));
      revoked.push(accessorOf(key));
    }
    await records.batch(ops);
    return revoked;
  }

  /** Revoke or destroy the secret id with `accessor`: its row goes, its tombstone stays. */
  async function bury(name: string, accessor: string, told: boolean): Promise<void> {
    const key = await findByAccessor(name, accessor);
    const entry = await records.get<SecretIdEntry>(key);
    if (!entry) throw hushError('SECRET_ID_ALREADY_GONE', { accessor });
    await records.batch(buryOps(key, entry.value, told, now()));
  }

  return {
    /** Issue a secret id under role limits; the text is returned once and only its HMAC is stored. */
    async issue(role: SecretIdLimits): Promise<IssuedSecretId> {
      const secretId = generateSecretId();
      const t = now();
      const entry: SecretIdEntry = {
        createdAt: t,
        expiresAt: t + (role.secretIdTtlMs > 0 ? role.secretIdTtlMs : DEFAULT_SECRET_ID_TTL_MS),
        usesRemaining: role.secretIdNumUses > 0 ? role.secretIdNumUses : null,
      };
      const key = await keyOf(role.name, secretId);
      await records.batch([{ op: 'put', key, value: entry, expectedRevision: 0 }]);
      return {
        secretId,
        accessor: accessorOf(key),
        expiresAt: iso(entry.expiresAt),
        usesRemaining: entry.usesRemaining,
      };
    },

    /**
     * Check `secretId` for role `name` and count one login; `bad` is the error for an unknown one (the same as for a
     * wrong role id). `beforeUse` runs once the secret id is known to be live (e.g. the CIDR check).
     */
    async use(name: string, secretId: string, bad: () => HushError, beforeUse: () => void): Promise<void> {
      const key = await keyOf(name, secretId);
      await retryCas(async () => {
        const entry = await records.get<SecretIdEntry>(key);
        const t = now();
        // Checked apart from the row: a revoked secret id's row put back into storage (a rollback) stays refused.
        const grave = await records.get<SecretIdGrave>(graveOf(key));
        if (grave && grave.value.until > t) {
          if (entry) {
            throw hushError(
              'SECRET_ID_REVOKED_GET_NEW',
              {},
              {
                reason: 'secret-id-replayed',
              },
            );
          }
          if (!grave.value.told) throw bad();
          throw hushError('SECRET_ID_REVOKED_GET_NEW', {}, { reason: 'secret-id-revoked' });
        }
        if (!entry) throw bad();
        if (entry.value.expiresAt !== null && t >= entry.value.expiresAt) {
          await records.batch([{ op: 'delete', key, expectedRevision: entry.revision }]);
          throw hushError('SECRET_ID_EXPIRED', { value: new Date(entry.value.expiresAt).toISOString() });
        }
        beforeUse();
        const left = entry.value.usesRemaining;
        if (left === null) return;
        // The last use deletes the secret id; check-and-set makes two concurrent logins unable to share one use.
        await records.batch([
          left <= 1
            ? { op: 'delete', key, expectedRevision: entry.revision }
            : {
                op: 'put',
                key,
                value: { ...entry.value, usesRemaining: left - 1 },
                expectedRevision: entry.revision,
              },
        ]);
      });
    },

    /** The live secret ids of role `name`, by accessor (expired and revoked ones are left out). */
    async list(name: string): Promise<SecretIdView[]> {
      const t = now();
      const out: SecretIdView[] = [];
      for (const key of await records.keys(prefixOf(name))) {
        const entry = await records.get<SecretIdEntry>(key);
        if (!entry) continue;
        if (entry.value.expiresAt !== null && t >= entry.value.expiresAt) continue;
        out.push({
          accessor: accessorOf(key),
          createdAt: new Date(entry.value.createdAt).toISOString(),
          expiresAt: iso(entry.value.expiresAt),
          usesRemaining: entry.value.usesRemaining,
        });
      }
      return out;
    },

    /** Revoke one secret id by accessor: logins with it fail at once, told as a revoked secret id. */
    revoke: (name: string, accessor: string) => bury(name, accessor, true),

    /** Destroy one secret id by accessor: its row is deleted (a later use reads as an unknown secret id). */
    destroy: (name: string, accessor: string) => bury(name, accessor, false),

    revokeAll,

    /** The ops deleting every secret id of role `name` (for deleting the role). */
    async destroyAllOps(name: string): Promise<RecordOp[]> {
      return (await records.keys(prefixOf(name))).map((key) => ({ op: 'delete' as const, key }));
    },
  };
}

/** The secret-id API. */
export type SecretIds = ReturnType<typeof createSecretIds>;

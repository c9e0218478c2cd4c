import { randomBytes, timingSafeEqual } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { hushError } from '../core/errors/index.js';
import { isCasConflict } from '../storage/retry-on-conflict.js';
import { readAuditKey } from './audit-key-file.js';

/** Storage key of the audit HMAC key kept in the store (sealed under the barrier, shared by every node). */
export const AUDIT_KEY_RECORD = 'sys/audit/hmac-key';

const KEY_BYTES = 32;

/** The audit HMAC key as the store keeps it. */
interface StoredAuditKey {
  readonly key: string;
  readonly createdAt: string;
  /** `file` when it was moved in from a node's `audit-hmac.key` (so records HMAC'd before still match). */
  readonly origin: 'random' | 'file';
}

/** The slice of an encrypted record store the key needs (identity's SealedView fits). */
export interface KeyRecords {
  get<T>(key: string): Promise<{ readonly value: T } | undefined>;
  batch(ops: readonly { op: 'put'; key: string; value: unknown; expectedRevision?: number }[]): Promise<void>;
}

/** Read the audit HMAC key kept in the store; undefined when none was stored yet. */
export async function readStoredAuditKey(records: KeyRecords): Promise<Buffer | undefined> {
  const found = await records.get<StoredAuditKey>(AUDIT_KEY_RECORD);
  if (!found) return undefined;
  const key = Buffer.from(found.value.key, 'base64');
  if (key.length !== KEY_BYTES) {
    throw hushError('AUDIT_HMAC_KEY_KEPT_STORE', { length: key.length, keyBytes: KEY_BYTES });
  }
  return key;
}

/**
 * The audit HMAC key every node shares: read from the store, or created there on first start (create-only, so two
 * nodes starting together agree on one). A per-node key file left by an older version (`legacyFile`) is moved in
 * when the store has none yet, so fields HMAC'd under it stay searchable, and deleted once the store holds the same
 * key; a file holding another key (a second node of an older cluster) is left in place and reported by `onNote`.
 */
export async function ensureStoredAuditKey(
  records: KeyRecords,
  legacyFile: string,
  onNote: (text: string) => void = () => {},
  now: () => Date = () => new Date(),
): Promise<Buffer> {
  const legacy = await readAuditKey(legacyFile);
  let key = await readStoredAuditKey(records);
  if (!key) {
    const fresh = legacy ?? randomBytes(KEY_BYTES);
    const value: StoredAuditKey = {
      key: fresh.toString('base64'),
      createdAt: now().toISOString(),
      origin: legacy ? 'file' : 'random',
    };
    try {
      await records.batch([{ op: 'put', key: AUDIT_KEY_RECORD, value, expectedRevision: 0 }]);
      key = fresh;
    } catch (err) {
      if (!isCasConflict(err)) throw err;
      key = await readStoredAuditKey(records); // another node created it first: use theirs
      if (!key) throw err;
    }
  }
  if (legacy) {
    if (timingSafeEqual(legacy, key)) {
      await unlink(legacyFile).catch(() => {});
    } else {
      onNote(
        `hush: note: ${legacyFile} holds another audit HMAC key than the one kept in the store; records this node wrote before the upgrade were HMAC'd under the file's key (it is left in place, not used)\n`,
      );
    }
  }
  return key;
}

/**
 * The key the audit log HMACs with: the store's once loaded; before that (a store that starts sealed), a random
 * per-process key, so sensitive fields of records written while sealed are hidden but cannot be matched later.
 */
export function createAuditKeyHolder(load: () => Promise<Buffer>) {
  const interim = randomBytes(KEY_BYTES);
  let loaded: Buffer | undefined;
  return {
    /** The key to HMAC with now. */
    current(): Buffer {
      return loaded ?? interim;
    },
    /** The store's key, or undefined while it was never loaded (sealed since start). */
    stored(): Buffer | undefined {
      return loaded;
    },
    /** Load (or create) the store's key; call once the store is unsealed. */
    async load(): Promise<void> {
      loaded ??= await load();
    },
  };
}

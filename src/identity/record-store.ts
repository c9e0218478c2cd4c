import { openAead, sealAead } from '../core/crypto/aead.js';
import { tokenLookupId } from '../core/token/token-ids.js';
import type { StorageBackend } from '../storage/backend.js';
import type { RowPeek } from '../storage/cache/read-cache-backend.js';
import { retryOnConflict } from '../storage/retry-on-conflict.js';
import type { IdentityKeys, IdentitySubkeys } from './identity-keys.js';

/** A decrypted record with the storage revision it was read at (for check-and-set). */
export interface Versioned<T> {
  readonly value: T;
  readonly revision: number;
}

/** One write of an atomic identity batch; values are encrypted on the way out. */
export type RecordOp =
  | { readonly op: 'put'; readonly key: string; readonly value: unknown; readonly expectedRevision?: number }
  | { readonly op: 'delete'; readonly key: string; readonly expectedRevision?: number };

/** Encrypted JSON records over a storage backend: storage sees keys and AES-256-GCM envelopes only. */
export interface RecordStore {
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  /**
   * Synchronous fast path of `get`: the record when its row is in the storage read cache and its plaintext in this
   * store's cache (same bytes, same keys); null when the row is cached as absent; undefined: call `get`.
   */
  peek<T>(key: string): Versioned<T> | null | undefined;
  batch(ops: readonly RecordOp[]): Promise<void>;
  /** Every key below `prefix` (all pages). */
  keys(prefix: string): Promise<string[]>;
  /** HMAC-SHA256 lookup id of a presented secret (token, secret id, role id) under the identity lookup key. */
  lookupId(secret: string): Promise<string>;
  /** `lookupId` without a promise when the subkeys are at hand (read cache warm); undefined: call `lookupId`. */
  peekLookupId(secret: string): string | undefined;
  /** Forget every decrypted record held in memory (call when the store seals). */
  clear(): void;
}

/** Options of {@link createRecordStore}. */
export interface RecordStoreOptions {
  /** Most decrypted records kept in memory (oldest dropped first); 0 disables the cache. Default 10,000. */
  readonly cacheSize?: number;
}

interface CachedRecord {
  /** The exact sealed bytes the value was opened from (swapped for the read cache's equal buffer once seen). */
  sealed: Buffer;
  /** The subkeys object it was opened with: a changed identity keyring never reuses a cached plaintext. */
  readonly keys: IdentitySubkeys;
  readonly value: unknown;
}

const AAD_PURPOSE = 'identity-record';

/**
 * Build the record store. Each record is sealed with AAD naming its storage key, so a row copied under another key
 * (e.g. one token's record moved under another token's lookup id) fails with HUSH_E_INTEGRITY.
 */
export function createRecordStore(
  backend: Pick<StorageBackend, 'get' | 'batch' | 'list'> & Partial<RowPeek>,
  keys: IdentityKeys,
  options: RecordStoreOptions = {},
): RecordStore {
  // Every authenticated request reads its token row and its policies' rows. Identical sealed bytes under the same
  // key always open to the same record, so decrypted records are cached against those exact bytes: the row is still
  // read from storage on every call, and any change to it (a use counted, a renewal, a revocation deleting it, a
  // write by another process) changes or removes the bytes and misses. Values are deep-frozen so no caller can edit
  // a shared one. The cache is cleared when the store seals.
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, CachedRecord>();
  const peekRow = backend.peek?.bind(backend);
  return {
    peek<T>(key: string) {
      if (peekRow === undefined) return undefined;
      const subkeys = keys.peek();
      if (subkeys === undefined) return undefined;
      const entry = peekRow(key);
      if (entry === undefined) return undefined;
      if (entry === null) return null;
      const hit = cache.get(key);
      if (hit === undefined || hit.keys !== subkeys) return undefined;
      // The read cache hands out the same buffer for an unchanged row: identity first, bytes only when it changed.
      if (hit.sealed !== entry.value) {
        if (!hit.sealed.equals(entry.value)) return undefined;
        hit.sealed = entry.value;
      }
      return { value: hit.value as T, revision: entry.revision };
    },
    async get<T>(key: string) {
      let subkeys: IdentitySubkeys;
      try {
        subkeys = await keys.subkeys();
      } catch (err) {
        cache.clear(); // sealed (perhaps by another process): hold no plaintext records
        throw err;
      }
      const entry = await backend.get(key);
      if (!entry) {
        cache.delete(key);
        return undefined;
      }
      const hit = cache.get(key);
      if (hit && hit.keys === subkeys && hit.sealed.equals(entry.value))
        return { value: hit.value as T, revision: entry.revision };
      const plain = openAead(
        subkeys.record,
        entry.value,
        { purpose: AAD_PURPOSE, key },
        `identity record ${key}`,
      );
      const value = deepFreeze(JSON.parse(plain.toString('utf8')) as T);
      if (cacheSize > 0) {
        cache.delete(key);
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
        cache.set(key, { sealed: Buffer.from(entry.value), keys: subkeys, value });
      }
      return { value, revision: entry.revision };
    },
    clear: () => cache.clear(),
    async batch(ops) {
      if (ops.length === 0) return;
      for (const o of ops) cache.delete(o.key);
      const { record } = await keys.subkeys();
      await backend.batch(
        ops.map((o) =>
          o.op === 'delete'
            ? o
            : {
                op: 'put' as const,
                key: o.key,
                value: sealAead(record, Buffer.from(JSON.stringify(o.value), 'utf8'), {
                  purpose: AAD_PURPOSE,
                  key: o.key,
                }),
                ...(o.expectedRevision === undefined ? {} : { expectedRevision: o.expectedRevision }),
              },
        ),
      );
    },
    async keys(prefix) {
      const out: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await backend.list(prefix, after === undefined ? {} : { after });
        out.push(...page.keys);
        if (page.next === undefined) return out;
        after = page.next;
      }
    },
    async lookupId(secret) {
      return tokenLookupId((await keys.subkeys()).lookup, secret);
    },
    peekLookupId(secret) {
      const subkeys = keys.peek();
      return subkeys === undefined ? undefined : tokenLookupId(subkeys.lookup, secret);
    },
  };
}

/** Freeze a parsed JSON value and everything in it, so a cached record can be shared safely. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Run `fn` again (up to `attempts` times) when it loses a check-and-set race. */
export function retryCas<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  return retryOnConflict(fn, attempts);
}

import { openAead, sealAead } from '../core/crypto/aead.js';
import { HushError } from '../core/errors/hush-error.js';
import { tokenLookupId } from '../core/token/token-ids.js';
import type { StorageBackend } from '../storage/backend.js';
import type { IdentityKeys } from './identity-keys.js';

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
  batch(ops: readonly RecordOp[]): Promise<void>;
  /** Every key below `prefix` (all pages). */
  keys(prefix: string): Promise<string[]>;
  /** HMAC-SHA256 lookup id of a presented secret (token, secret id, role id) under the identity lookup key. */
  lookupId(secret: string): Promise<string>;
}

const AAD_PURPOSE = 'identity-record';

/**
 * Build the record store. Each record is sealed with AAD naming its storage key, so a row copied under another key
 * (e.g. one token's record moved under another token's lookup id) fails with HUSH_E_INTEGRITY.
 */
export function createRecordStore(
  backend: Pick<StorageBackend, 'get' | 'batch' | 'list'>,
  keys: IdentityKeys,
): RecordStore {
  return {
    async get<T>(key: string) {
      const { record } = await keys.subkeys();
      const entry = await backend.get(key);
      if (!entry) return undefined;
      const plain = openAead(record, entry.value, { purpose: AAD_PURPOSE, key }, `identity record ${key}`);
      return { value: JSON.parse(plain.toString('utf8')) as T, revision: entry.revision };
    },
    async batch(ops) {
      if (ops.length === 0) return;
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
  };
}

/** Run `fn` again (up to `attempts` times) when it loses a check-and-set race. */
export async function retryCas<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof HushError && err.code === 'HUSH_E_CAS_CONFLICT') || i >= attempts) throw err;
    }
  }
}

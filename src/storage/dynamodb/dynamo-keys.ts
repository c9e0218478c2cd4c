import { hushError } from '../../core/errors/index.js';

/**
 * The table layout. Every item has a partition key `pk` (String) and a sort key `sk` (Binary, so DynamoDB orders
 * it by unsigned bytes: exactly the UTF-8 byte order the storage contract promises).
 *
 * A storage key with at least two `/` lives in the partition named by its first two segments (`meta/acme/`,
 * `data/acme/`, `sys/keyring/`, `sys/token/`): one partition per project and record kind, as the Secret Store
 * seed kept one per application. Shorter keys (`sys/seal`, `sys/sealed`) share the `#root` partition. The sort
 * key is the whole storage key, so a listing whose prefix has two `/` is one Query with `begins_with`.
 * Partition names always end in `/`; the bookkeeping partitions below never do, so they cannot collide.
 */
export const ROOT_PARTITION = '#root';
/** Registry of data partitions (sk = partition name), read by listings whose prefix spans partitions. */
export const REGISTRY_PARTITION = '#partitions';
/** DynamoDB's sort key limit. */
export const MAX_SORT_KEY_BYTES = 1024;

/** The data partition of a storage key. */
export function partitionOf(key: string): string {
  const first = key.indexOf('/');
  const second = first < 0 ? -1 : key.indexOf('/', first + 1);
  return second < 0 ? ROOT_PARTITION : key.slice(0, second + 1);
}

/** Partition of a batch record. */
export function txnPartition(txid: string): string {
  return `#txn:${txid}`;
}

/** Partition of the overflow chunks of one stored value generation. */
export function chunkPartition(gen: string): string {
  return `#chunk:${gen}`;
}

/** Sort key of chunk `index` (1-based: the first part of a value lives in the head item). */
export function chunkSortKey(index: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(index);
  return b;
}

/** The sort key bytes of a storage key; refuses keys DynamoDB cannot hold, with the fix. */
export function sortKeyOf(key: string): Buffer {
  if (key.length === 0) throw new RangeError('storage keys must not be empty');
  if (/[\uD800-\uDFFF]/u.test(key))
    throw new RangeError('storage keys must be well-formed Unicode (no lone surrogates)');
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length > MAX_SORT_KEY_BYTES) {
    throw hushError('STORAGE_KEY_BYTES_DYNAMO_DB', {
      length: bytes.length,
      maxSortKeyBytes: MAX_SORT_KEY_BYTES,
    });
  }
  return bytes;
}

/** Where a listing must look: one partition, or the root partition plus every registered partition it covers. */
export type ListScope = { readonly single: string } | { readonly spanning: true };

/** The scope of `list(prefix)`: a prefix with two `/` fixes the partition of every key it can match. */
export function listScope(prefix: string): ListScope {
  const partition = partitionOf(prefix);
  return partition === ROOT_PARTITION ? { spanning: true } : { single: partition };
}

/** UTF-8 byte order (the contract's order). */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

import type { StorageBackend } from '../storage/backend.js';
import type { Barrier } from '../store/barrier.js';
import { createKeyringSubkeys, type SubkeySpec } from './identity-keys.js';
import { createRecordStore, type RecordStore } from './record-store.js';

/**
 * Encrypted records of one engine over the store's storage, sealed under subkeys of its own reserved keyring (so a
 * root rotation re-seals it with the others); keys and decrypted records are dropped when the barrier closes.
 *
 * @example
 * const records = createSealedRecords(store.readBackend, store.barrier, { keyring, info });
 */
export function createSealedRecords(
  backend: Pick<StorageBackend, 'get' | 'batch' | 'list'>,
  barrier: Pick<Barrier, 'keyring' | 'onClose'>,
  spec: SubkeySpec,
): RecordStore {
  const keys = createKeyringSubkeys(barrier, spec);
  const records = createRecordStore(backend, keys);
  barrier.onClose(() => {
    keys.wipe();
    records.clear();
  });
  return records;
}

import { createKeyringSubkeys, type IdentityKeys } from '../identity/identity-keys.js';
import { createRecordStore, type RecordStore } from '../identity/record-store.js';
import type { StorageBackend } from '../storage/backend.js';
import type { Barrier } from '../store/barrier.js';

/**
 * Rotation records are sealed under their own keyring beside the project keyrings (`sys/keyring/@rotation/v1`), so a
 * root rotation re-seals it with the others; `@` cannot occur in an address, so no project can collide with it.
 */
export const ROTATION_KEYRING = { project: '@rotation', environment: 'v1' } as const;

/** Subkeys for rotation records from the barrier (sealed store: HUSH_E_SEALED), cached per opened keyring. */
export function createRotationKeys(barrier: Pick<Barrier, 'keyring'>): IdentityKeys {
  return createKeyringSubkeys(barrier, {
    keyring: ROTATION_KEYRING,
    info: { lookup: 'hush rotation lookup v1', record: 'hush rotation record v1' },
  });
}

/** Encrypted rotation records (policies, per-secret state) over the store's storage. */
export function createRotationRecords(
  backend: Pick<StorageBackend, 'get' | 'batch' | 'list'>,
  barrier: Pick<Barrier, 'keyring' | 'onClose'>,
): RecordStore {
  const keys = createRotationKeys(barrier);
  const records = createRecordStore(backend, keys);
  barrier.onClose(() => {
    keys.wipe();
    records.clear();
  });
  return records;
}

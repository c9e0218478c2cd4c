import type { RecordStore } from '../identity/record-store.js';
import { createSealedRecords } from '../identity/sealed-records.js';
import type { StorageBackend } from '../storage/backend.js';
import type { Barrier } from '../store/barrier.js';

/**
 * Transit keys are sealed under their own keyring beside the project keyrings (`sys/keyring/@transit/v1`), so a root
 * rotation re-seals it with the others and the key material is never in storage in the clear; `@` cannot occur in a
 * secret address, so no project can collide with it.
 */
export const TRANSIT_KEYRING = { project: '@transit', environment: 'v1' } as const;

/** Storage prefix of transit key records (the key name follows). */
export const TRANSIT_KEY_PREFIX = 'transit/keys/';

/** Encrypted transit key records over the store's storage; keys and decrypted records are dropped when it seals. */
export function createTransitRecords(
  backend: Pick<StorageBackend, 'get' | 'batch' | 'list'>,
  barrier: Pick<Barrier, 'keyring' | 'onClose'>,
): RecordStore {
  return createSealedRecords(backend, barrier, {
    keyring: TRANSIT_KEYRING,
    info: { lookup: 'hush transit lookup v1', record: 'hush transit record v1' },
  });
}

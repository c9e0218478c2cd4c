import { hkdfSync } from 'node:crypto';
import { keyVersion } from '../core/crypto/keyring.js';
import { wipe } from '../core/crypto/random.js';
import type { IdentityKeys, IdentitySubkeys } from '../identity/identity-keys.js';
import { createRecordStore, type RecordStore } from '../identity/record-store.js';
import type { StorageBackend } from '../storage/backend.js';
import type { Barrier, OpenedKeyring } from '../store/barrier.js';

/**
 * Rotation records are sealed under their own keyring beside the project keyrings (`sys/keyring/@rotation/v1`), so a
 * root rotation re-seals it with the others; `@` cannot occur in an address, so no project can collide with it.
 */
export const ROTATION_KEYRING = { project: '@rotation', environment: 'v1' } as const;

function derive(ikm: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), `hush rotation ${label} v1`, 32));
}

/** Subkeys for rotation records from the barrier (sealed store: HUSH_E_SEALED), cached per opened keyring. */
export function createRotationKeys(barrier: Pick<Barrier, 'keyring'>): IdentityKeys {
  let cached: { ring: OpenedKeyring; keys: IdentitySubkeys } | undefined;
  const drop = (): void => {
    if (cached) {
      wipe(cached.keys.lookup);
      wipe(cached.keys.record);
    }
    cached = undefined;
  };
  return {
    wipe: drop,
    async subkeys() {
      let opened: OpenedKeyring | undefined;
      try {
        opened = await barrier.keyring(ROTATION_KEYRING.project, ROTATION_KEYRING.environment, true);
      } catch (err) {
        drop();
        throw err;
      }
      if (!opened) throw new Error('rotation keyring missing after creation'); // barrier contract: create=true
      if (cached?.ring === opened) return cached.keys;
      drop();
      const kek = keyVersion(opened.ring, 1).key;
      cached = { ring: opened, keys: { lookup: derive(kek, 'lookup'), record: derive(kek, 'record') } };
      return cached.keys;
    },
  };
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

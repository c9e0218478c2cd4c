import { createKeyringSubkeys } from '../identity/identity-keys.js';
import { createRecordStore, type RecordStore } from '../identity/record-store.js';
import type { StorageBackend } from '../storage/backend.js';
import type { Barrier } from '../store/barrier.js';

/**
 * The CA's records, private keys included, are sealed under their own keyring beside the project keyrings
 * (`sys/keyring/@pki/v1`), as transit's are: a root rotation re-seals it with the others, the keys are never in
 * storage in the clear, and `@` cannot occur in a project name.
 */
export const PKI_KEYRING = { project: '@pki', environment: 'v1' } as const;

/** Storage keys: role names and serials are visible to storage (like transit key names); everything else is sealed. */
export const pkiKeys = {
  ca: 'pki/ca',
  crl: 'pki/crl',
  revoked: 'pki/revoked',
  role: (name: string) => `pki/roles/${name}`,
  issued: (serialHex: string) => `pki/issued/${serialHex}`,
  ROLES: 'pki/roles/',
  ISSUED: 'pki/issued/',
} as const;

/** Encrypted PKI records over the store's storage; keys and decrypted records are dropped when it seals. */
export function createPkiRecords(
  backend: Pick<StorageBackend, 'get' | 'batch' | 'list'>,
  barrier: Pick<Barrier, 'keyring' | 'onClose'>,
): RecordStore {
  const keys = createKeyringSubkeys(barrier, {
    keyring: PKI_KEYRING,
    info: { lookup: 'hush pki lookup v1', record: 'hush pki record v1' },
  });
  const records = createRecordStore(backend, keys);
  barrier.onClose(() => {
    keys.wipe();
    records.clear();
  });
  return records;
}

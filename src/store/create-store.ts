import type { KeyWrapper } from '../core/crypto/key-wrapper.js';
import { DEFAULT_MAX_VALUE_BYTES } from '../core/secrets/value-codec.js';
import type { Seal } from '../seal/seal.js';
import type { StorageBackend } from '../storage/backend.js';
import { withReadCache } from '../storage/cache/read-cache-backend.js';
import { Barrier } from './barrier.js';
import type { StoreContext } from './context.js';
import { createImportKey } from './keys/byok-import.js';
import { createImportWrappingKey } from './keys/byok-wrapping-key.js';
import { createRevokeImported, createSetKeyringProtector } from './keys/keyring-protection.js';
import { createKeysStatus } from './keys/keys-status.js';
import { createRewrap } from './keys/rewrap.js';
import { createRotateKek } from './keys/rotate-kek.js';
import { createInitStore } from './seal/init-store.js';
import { createRotateRoot } from './seal/rotate-root.js';
import { createLiftLockdown, createSealStore } from './seal/seal-store.js';
import { createStoreStatus } from './seal/store-status.js';
import { createCheckMaterial, createUnsealStore } from './seal/unseal-store.js';
import { createDeleteSecret } from './secrets/delete-secret.js';
import { createDestroySecret } from './secrets/destroy-secret.js';
import { createExportSecrets } from './secrets/export-secrets.js';
import { createKnownFingerprints } from './secrets/fingerprints.js';
import { createGetSecret } from './secrets/get-secret.js';
import { createImportSecrets } from './secrets/import-secrets.js';
import { createListSecrets } from './secrets/list-secrets.js';
import { createMoveSecrets } from './secrets/move-secrets.js';
import { createCancelPending, createPromoteVersion } from './secrets/promote-version.js';
import { createPutSecret } from './secrets/put-secret.js';
import { createRollback } from './secrets/rollback.js';
import { createSecretIo } from './secrets/secret-io.js';
import { createUndeleteSecret } from './secrets/undelete-secret.js';
import { createUpdateMetadata } from './secrets/update-metadata.js';
import { createListVersions } from './secrets/versions.js';

/** What a store is built from. */
export interface StoreDeps {
  /** Where rows live; the store only uses the StorageBackend interface. */
  readonly backend: StorageBackend;
  /** The seal that protects (or will protect) the root key. */
  readonly seal: Seal;
  /** Clock for timestamps (default: the system clock). */
  readonly clock?: () => Date;
  /** Largest value in bytes (default 1 MiB). */
  readonly maxValueBytes?: number;
  /** Versions kept per secret (default 20). */
  readonly maxVersions?: number;
  /** Cache encrypted rows in memory (default true; see withReadCache for how it stays coherent). */
  readonly readCache?: boolean;
  /**
   * External key wrappers (e.g. PKCS#11 HSM keys) by id: a keyring can be protected by one (`hsm:<id>`) instead of
   * the root key. A keyring whose wrapper is missing here fails alone with HUSH_E_KEY_UNAVAILABLE.
   */
  readonly keyWrappers?: Readonly<Record<string, KeyWrapper>>;
}

/**
 * Compose the secrets engine: a barrier over a storage backend plus one function per use case. This object is the
 * API the CLI and the server call; it records who/when in metadata but does no audit (the server does).
 *
 * @example
 * const store = createStore({ backend: new MemoryBackend(), seal: new KeyFileSeal({ path: '/tmp/hush/root.key' }) });
 * await store.init();                                   // leaves this process unsealed
 * await store.put('payments/prod/db-password', 's3cret', { actor: 'user:alice' });
 * const { value, version } = await store.get('payments/prod/db-password');
 * await store.seal();                                   // wipes keys; persistent lockdown until `unseal`
 */
export function createStore(deps: StoreDeps) {
  const clock = deps.clock ?? (() => new Date());
  const backend = deps.readCache === false ? deps.backend : withReadCache(deps.backend);
  const barrier = new Barrier(backend, clock, deps.backend, deps.keyWrappers ?? {});
  const ctx: StoreContext = {
    backend,
    barrier,
    io: createSecretIo({ backend, barrier }),
    seal: { current: deps.seal },
    clock,
    limits: {
      maxValueBytes: positive(deps.maxValueBytes, DEFAULT_MAX_VALUE_BYTES, 'maxValueBytes'),
      maxVersions: positive(deps.maxVersions, 20, 'maxVersions'),
    },
  };
  return {
    /** Create the root key and seal it; returns one-time material (e.g. shares). Already initialised -> HUSH_E_ALREADY_INITIALIZED. */
    init: createInitStore(ctx),
    /** Recover the root key with `material` and open the barrier; clears the lockdown flag unless `respectLockdown`. */
    unseal: createUnsealStore(ctx),
    /** Prove unseal material recovers the current root key, without unsealing (generate-root's check). */
    checkMaterial: createCheckMaterial(ctx),
    /** Wipe the root key and keyrings from memory; by default also sets the persistent lockdown flag. */
    seal: createSealStore(ctx),
    /** Delete the persistent lockdown flag (servers call it only for an authenticated `hush incident unlock`). */
    liftLockdown: createLiftLockdown(ctx),
    /** Initialised/sealed/locked-down state, seal kind and backend kind (nothing secret). */
    status: createStoreStatus(ctx),
    /** The barrier (root key holder) for co-located services such as identity that keep their own keyring. */
    barrier,
    /** Storage as the store reads it (through its coherent read cache), for co-located services' reads. */
    readBackend: backend,
    /** True while this process holds no root key. */
    isSealed: (): boolean => barrier.sealed,
    /** Write a value as a new version; `cas` gives check-and-set (0 = create only). */
    put: createPutSecret(ctx),
    /** Read the served version (`current` label when staged, else the latest), or a `version` / `label`. */
    get: createGetSecret(ctx),
    /** Rotation: the pending version becomes current, the old current previous (check-and-set on `cas`). */
    promote: createPromoteVersion(ctx),
    /** Rotation: drop the pending label (the staged version is kept in history but never served). */
    cancelPending: createCancelPending(ctx),
    /** Metadata and the version list (state and timestamps) of a secret; no values. */
    versions: createListVersions(ctx),
    /** Change description, tags or expiry without writing a new version. */
    updateMetadata: createUpdateMetadata(ctx),
    /** Names below a prefix (one level with `dir/` folder entries, or recursive), paginated with a cursor. */
    list: createListSecrets(ctx),
    /** Soft-delete versions (default the latest); reversible with `undelete`. */
    delete: createDeleteSecret(ctx),
    /** Restore soft-deleted versions. */
    undelete: createUndeleteSecret(ctx),
    /** Crypto-shred versions: their data rows (and data keys) are deleted for good. */
    destroy: createDestroySecret(ctx),
    /** Write a new version holding the content of an older one. */
    rollback: createRollback(ctx),
    /** Rename a secret and everything below it (re-encrypted for the new path); HUSH_E_ALREADY_EXISTS unless `overwrite`. */
    move: createMoveSecrets(ctx),
    /** Import a .env/JSON/YAML document below a project/environment prefix; returns per-key outcomes. */
    importSecrets: createImportSecrets(ctx),
    /** Export the latest values below a prefix as .env/JSON/YAML text (the text is secret). */
    exportSecrets: createExportSecrets(ctx),
    /** Add a KEK version to a project/environment keyring (`hush keys rotate p/e`); new writes use it. */
    rotateKek: createRotateKek(ctx),
    /** Move all data keys of a project/environment to the current KEK (idempotent); `prune` drops old KEK versions. */
    rewrap: createRewrap(ctx),
    /** BYOK step 1: the current RSA-3072 OAEP-SHA-256 import wrapping key (public half; created if none/expired). */
    importWrappingKey: createImportWrappingKey(ctx),
    /** BYOK step 2: unwrap customer key material and re-seal the project/environment keyring under it. */
    importKey: createImportKey(ctx),
    /** Crypto-shred the imported key of a project/environment: its secrets become unreadable. */
    revokeImported: createRevokeImported(ctx),
    /** Re-seal a project/environment keyring under `'root'` or `'hsm:<id>'` (one of `keyWrappers`). */
    setKeyringProtector: createSetKeyringProtector(ctx),
    /** Protector, KEK versions and rotation dates of every keyring, and the root key's last rotation. */
    keysStatus: createKeysStatus(ctx),
    /** New root key: re-seal every keyring and the root itself; returns new one-time material. Old material stops working. */
    rotateRoot: createRotateRoot(ctx),
    /** Which candidate strings are stored values (HMAC / salted digests; for `hush scan --known`). */
    knownSecrets: createKnownFingerprints(ctx),
    /** Stop using this store object: seal it (without lockdown) and close the backend. */
    close: async (): Promise<void> => {
      barrier.close();
      await backend.close();
    },
  };
}

/** The engine API returned by {@link createStore}. */
export type HushStore = ReturnType<typeof createStore>;

/** The secrets methods shared by every way of reaching a store (remote CLI client, HTTP routes), as one list. */
export type StoreApi = Pick<
  HushStore,
  | 'get'
  | 'put'
  | 'versions'
  | 'updateMetadata'
  | 'list'
  | 'delete'
  | 'undelete'
  | 'destroy'
  | 'rollback'
  | 'move'
  | 'importSecrets'
  | 'exportSecrets'
  | 'rotateKek'
  | 'rewrap'
  | 'rotateRoot'
  | 'keysStatus'
  | 'importWrappingKey'
  | 'importKey'
  | 'revokeImported'
  | 'setKeyringProtector'
>;

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

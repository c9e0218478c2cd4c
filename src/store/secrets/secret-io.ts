import { openAead, sealAead } from '../../core/crypto/aead.js';
import { encryptValue, openValue, unwrapDataKey, valueAad } from '../../core/crypto/envelope.js';
import { type Keyring, keyVersion } from '../../core/crypto/keyring.js';
import { wipe } from '../../core/crypto/random.js';
import { hushError } from '../../core/errors/index.js';
import { formatAddress, type SecretAddress } from '../../core/secrets/address.js';
import {
  decodeSealedMetadata,
  decodeSealedValue,
  encodeSealedMetadata,
  encodeSealedValue,
} from '../../core/secrets/record-codec.js';
import { decodeMetadata, encodeMetadata, type SecretMetadata } from '../../core/secrets/secret-metadata.js';
import type { BatchOp, StorageBackend, StorageEntry } from '../../storage/backend.js';
import type { RowPeek } from '../../storage/cache/read-cache-backend.js';
import type { Barrier } from '../barrier.js';
import { dataKey, keyringKey, META_PREFIX, metaKey } from '../storage-keys.js';
import { createVersionTombstones } from './version-tombstones.js';

/** A secret's metadata as read, with what is needed to write it back with check-and-set. */
export interface LoadedSecret {
  readonly address: SecretAddress;
  readonly where: string;
  readonly ring: Keyring;
  readonly meta: SecretMetadata;
  /** Storage revision of the metadata row. */
  readonly revision: number;
  /** KEK version the metadata row is sealed under (rewrap moves it to the current one). */
  readonly metaKekVersion: number;
}

/** Dependencies of the secret row helpers. */
export interface SecretIoDeps {
  /** With `peek` (the read cache), reads whose rows are all cached run synchronously, without copies. */
  readonly backend: Pick<StorageBackend, 'get' | 'batch'> & Partial<RowPeek>;
  readonly barrier: Pick<Barrier, 'keyring' | 'peekKeyring' | 'assertUnsealed' | 'onClose'>;
  /** Decrypted metadata records and unwrapped data keys kept in memory (default 10,000 each); 0 disables both. */
  readonly metadataCacheSize?: number;
}

/**
 * An unwrapped data key, remembered with the exact wrapped bytes and KEK version it came from, and the encoded
 * AAD of the value (a function of the row's location and that KEK version only).
 */
interface CachedDataKey {
  readonly wrapped: Buffer;
  readonly kekVersion: number;
  readonly key: Buffer;
  readonly valueAad: Buffer;
}

/** A decrypted metadata row, remembered with the exact sealed bytes it came from. */
interface CachedMetadata {
  sealed: Buffer;
  readonly meta: SecretMetadata;
  readonly kekVersion: number;
}

/** Storage keys and display text of an address, built once per address object (see {@link keysOf}). */
interface AddressKeys {
  readonly where: string;
  readonly meta: string;
  readonly ring: string;
  readonly data: Map<number, string>;
}

// Reads look rows up by key strings; a string built afresh per read must be flattened and hashed on every map
// lookup (three per read). parseAddress hands out one shared object per address text, so keying the derived
// strings by that object makes repeated reads reuse already-hashed strings.
const addressKeys = new WeakMap<SecretAddress, AddressKeys>();

/** The derived keys of `address` (equal to metaKey/keyringKey/dataKey of storage-keys). */
function keysOf(address: SecretAddress): AddressKeys {
  let keys = addressKeys.get(address);
  if (keys === undefined) {
    const where = formatAddress(address);
    keys = {
      where,
      meta: META_PREFIX + where,
      ring: keyringKey(address.project, address.environment),
      data: new Map(),
    };
    addressKeys.set(address, keys);
  }
  return keys;
}

/** The data row key of one version (kept for the few most recently read versions of the address). */
function dataKeyOf(keys: AddressKeys, version: number): string {
  let key = keys.data.get(version);
  if (key === undefined) {
    if (keys.data.size >= 32) keys.data.clear();
    key = `data/${keys.where}#${version}`;
    keys.data.set(version, key);
  }
  return key;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Row-level helpers shared by the secret services: encrypted metadata and values, bound to their location. */
export type SecretIo = ReturnType<typeof createSecretIo>;

/** Build the row helpers over a backend and a barrier. */
export function createSecretIo(deps: SecretIoDeps) {
  const { backend, barrier } = deps;
  const peek = backend.peek?.bind(backend);
  // Reads are dominated by opening and parsing metadata; identical sealed bytes always decrypt to the same record,
  // so the cache is keyed by those bytes (not the revision, which restarts after a delete). Records are frozen so a
  // service can never edit a cached one, and the cache is dropped when the store seals.
  const metaCacheSize = deps.metadataCacheSize ?? 10_000;
  const metaCache = new Map<string, CachedMetadata>();
  // Unwrapping the data key is half the crypto of a read. Keys are cached against their exact wrapped bytes (a
  // rewritten or rewrapped row never reuses a stale key), wiped on eviction and when the store seals.
  const keyCache = new Map<string, CachedDataKey>();
  const tombstones = createVersionTombstones(backend);
  barrier.onClose(() => {
    metaCache.clear();
    for (const { key } of keyCache.values()) wipe(key);
    keyCache.clear();
  });

  function metaAad(address: SecretAddress, ring: Keyring, kekVersion: number) {
    return {
      purpose: 'metadata',
      project: address.project,
      environment: address.environment,
      path: address.path,
      kek: `${ring.scope}#${kekVersion}`,
    };
  }

  /** The metadata sealed in `entry` (a row of `address`), from the cache when its sealed bytes are unchanged. */
  function openMeta(
    address: SecretAddress,
    where: string,
    key: string,
    entry: StorageEntry,
    ring: Keyring,
  ): CachedMetadata {
    const cached = metaCache.get(key);
    if (cached !== undefined) {
      if (cached.sealed === entry.value) return cached;
      if (cached.sealed.equals(entry.value)) {
        // Same bytes: hold the (never mutated) row buffer itself, so the next read of this cached row is an
        // identity check instead of a byte compare.
        cached.sealed = entry.value;
        return cached;
      }
    }
    const sealed = decodeSealedMetadata(entry.value, `metadata of ${where}`);
    const kek = keyVersion(ring, sealed.kekVersion);
    const plain = openAead(kek.key, sealed.box, metaAad(address, ring, kek.version), `metadata of ${where}`);
    const opened = {
      sealed: Buffer.from(entry.value),
      meta: deepFreeze(decodeMetadata(plain, where)),
      kekVersion: kek.version,
    };
    if (metaCacheSize > 0) {
      if (metaCache.size >= metaCacheSize) metaCache.delete(metaCache.keys().next().value as string);
      metaCache.set(key, opened);
    }
    return opened;
  }

  /** Read a secret's metadata, or undefined (with revision 0) when none exists. */
  async function find(
    address: SecretAddress,
  ): Promise<
    | { meta: SecretMetadata; revision: number; ring: Keyring; metaKekVersion: number }
    | { meta: undefined; revision: 0 }
  > {
    barrier.assertUnsealed();
    const where = formatAddress(address);
    const key = metaKey(address);
    const entry = await backend.get(key);
    if (!entry) return { meta: undefined, revision: 0 };
    const opened = await barrier.keyring(address.project, address.environment, false);
    if (!opened) {
      throw hushError('METADATA_BUT_KEYRING_MISSING', {
        where,
        project: address.project,
        environment: address.environment,
      });
    }
    const { meta, kekVersion } = openMeta(address, where, key, entry, opened.ring);
    return { meta, revision: entry.revision, ring: opened.ring, metaKekVersion: kekVersion };
  }

  /**
   * Synchronous fast path of {@link load}: the secret when its metadata and keyring rows are in the read cache and
   * the keyring is open. Undefined means "take the normal path" (sealed, uncached, missing: load reports those).
   */
  function peekLoad(address: SecretAddress): LoadedSecret | undefined {
    if (peek === undefined) return undefined;
    const keys = keysOf(address);
    const entry = peek(keys.meta);
    if (!entry) return undefined;
    const opened = barrier.peekKeyring(address.project, address.environment, keys.ring);
    if (opened === undefined) return undefined;
    const where = keys.where;
    const { meta, kekVersion } = openMeta(address, where, keys.meta, entry, opened.ring);
    return { address, where, ring: opened.ring, meta, revision: entry.revision, metaKekVersion: kekVersion };
  }

  /** Read a secret that must exist; raises HUSH_E_NOT_FOUND naming the path. */
  async function load(address: SecretAddress): Promise<LoadedSecret> {
    const found = await find(address);
    const where = formatAddress(address);
    if (!found.meta) {
      throw hushError(
        'NO_SECRET_WHERE',
        { where, project: address.project, environment: address.environment },
        { path: where },
      );
    }
    const { ring, meta, revision, metaKekVersion } = found;
    return { address, where, ring, meta, revision, metaKekVersion };
  }

  /** The keyring for writing at `address`, created on first use. */
  async function writableRing(address: SecretAddress): Promise<Keyring> {
    const opened = await barrier.keyring(address.project, address.environment, true);
    return (opened as NonNullable<typeof opened>).ring;
  }

  /** A batch op writing metadata under the current KEK, with check-and-set on the row's revision. */
  function metaOp(
    address: SecretAddress,
    ring: Keyring,
    meta: SecretMetadata,
    expectedRevision: number,
  ): BatchOp {
    const kek = keyVersion(ring);
    const box = sealAead(kek.key, encodeMetadata(meta), metaAad(address, ring, kek.version));
    return {
      op: 'put',
      key: metaKey(address),
      value: encodeSealedMetadata({ kekVersion: kek.version, box }),
      expectedRevision,
    };
  }

  /** A batch op writing a version's value under a fresh data key; by default the row must not exist (null: no check). */
  function dataOp(
    address: SecretAddress,
    ring: Keyring,
    version: number,
    encodedValue: Uint8Array,
    expectedRevision: number | null = 0,
  ): BatchOp {
    const value = encodeSealedValue(encryptValue(ring, { ...address, version }, encodedValue));
    const key = dataKey(address, version);
    return expectedRevision === null
      ? { op: 'put', key, value }
      : { op: 'put', key, value, expectedRevision };
  }

  /** Decrypt one version's encoded value; a missing row where metadata promises one is an integrity failure. */
  async function readValue(address: SecretAddress, ring: Keyring, version: number): Promise<Buffer> {
    const rowKey = dataKey(address, version);
    const entry = await backend.get(rowKey);
    if (!entry) {
      throw hushError('VERSION_DATA_ROW_MISSING', { address: formatAddress(address), version });
    }
    return openRow(address, ring, version, rowKey, entry);
  }

  /** Synchronous fast path of {@link readValue} when the data row is in the read cache; undefined: call readValue. */
  function peekValue(address: SecretAddress, ring: Keyring, version: number): Buffer | undefined {
    if (peek === undefined) return undefined;
    const keys = keysOf(address);
    const rowKey = dataKeyOf(keys, version);
    const entry = peek(rowKey);
    return entry ? openRow(address, ring, version, rowKey, entry) : undefined;
  }

  /**
   * Open the value in a data row. Every call decrypts and verifies the value's tag; only the data key (unwrapped
   * from these exact wrapped bytes under this KEK version) and the AAD bytes (a pure function of location and KEK
   * version) are reused.
   */
  function openRow(
    address: SecretAddress,
    ring: Keyring,
    version: number,
    rowKey: string,
    entry: StorageEntry,
  ): Buffer {
    const sealed = decodeSealedValue(entry.value, () => `data of ${formatAddress(address)}@v${version}`);
    const cached = keyCache.get(rowKey);
    if (
      cached !== undefined &&
      cached.kekVersion === sealed.kekVersion &&
      cached.wrapped.equals(sealed.wrappedKey)
    ) {
      // What openValue does, with the kept AAD bytes and without building a location object per read.
      const what = () => `value of ${formatAddress(address)}@v${version}`;
      return openAead(cached.key, sealed.ciphertext, cached.valueAad, what);
    }
    const loc = { project: address.project, environment: address.environment, path: address.path, version };
    const key = unwrapDataKey(ring, loc, sealed);
    if (metaCacheSize === 0) {
      try {
        return openValue(key, loc, sealed);
      } finally {
        wipe(key);
      }
    }
    const aad = valueAad(loc, sealed.kekVersion);
    let plain: Buffer;
    try {
      plain = openValue(key, loc, sealed, aad);
    } catch (err) {
      wipe(key);
      throw err;
    }
    if (cached) {
      wipe(cached.key);
      keyCache.delete(rowKey);
    } else if (keyCache.size >= metaCacheSize) {
      const oldest = keyCache.keys().next().value as string;
      wipe(keyCache.get(oldest)?.key);
      keyCache.delete(oldest);
    }
    keyCache.set(rowKey, {
      wrapped: Buffer.from(sealed.wrappedKey),
      kekVersion: sealed.kekVersion,
      key,
      valueAad: aad,
    });
    return plain;
  }

  return { find, load, peekLoad, writableRing, metaOp, dataOp, readValue, peekValue, metaAad, tombstones };
}

import { openAead, sealAead } from '../../core/crypto/aead.js';
import { type Keyring, keyVersion } from '../../core/crypto/keyring.js';
import { hushError } from '../../core/errors/index.js';
import { formatAddress, type SecretAddress } from '../../core/secrets/address.js';
import { decodeSealedMetadata, encodeSealedMetadata } from '../../core/secrets/record-codec.js';
import type { VersionInfo } from '../../core/secrets/secret-metadata.js';
import type { BatchOp, StorageBackend } from '../../storage/backend.js';
import type { RowPeek } from '../../storage/cache/read-cache-backend.js';
import { tombstoneKey } from '../storage-keys.js';

/** What a tombstone records (sealed): which incarnation of the version went, how and when. */
interface TombstoneRecord {
  readonly version: number;
  readonly createdAt: string;
  readonly state: 'deleted' | 'destroyed';
  readonly at: string;
}

/** Tombstone helpers of the secret services (see {@link createVersionTombstones}). */
export type VersionTombstones = ReturnType<typeof createVersionTombstones>;

// The read path looks a tombstone key up per read: built once per address object and version (parseAddress hands
// out one object per address text), so a hot read reuses an already-hashed string.
const keysByAddress = new WeakMap<SecretAddress, Map<number, string>>();

function keyOf(address: SecretAddress, version: number): string {
  let keys = keysByAddress.get(address);
  if (keys === undefined) {
    keys = new Map();
    keysByAddress.set(address, keys);
  }
  let key = keys.get(version);
  if (key === undefined) {
    if (keys.size >= 32) keys.clear();
    key = tombstoneKey(address, version);
    keys.set(version, key);
  }
  return key;
}

/**
 * Version tombstones: the defence against rolled-back rows. Metadata says which versions are deleted or destroyed,
 * but storage write access can put back an older metadata row (and data row) under its own key, which still opens.
 * So delete and destroy also write a tombstone per version under a separate key, in the same batch, sealed under
 * the keyring's KEK and bound to its key (so it cannot be forged or moved); undelete removes it in its batch. A read
 * of a version the metadata shows live is refused (HUSH_E_INTEGRITY) while its tombstone exists. Invariant: a
 * tombstone exists exactly for the versions the metadata lists as deleted or destroyed (prune and move keep it).
 */
export function createVersionTombstones(backend: Pick<StorageBackend, 'get'> & Partial<RowPeek>) {
  const peek = backend.peek?.bind(backend);

  function aad(address: SecretAddress, ring: Keyring, version: number, kekVersion: number) {
    return {
      purpose: 'version-tombstone',
      project: address.project,
      environment: address.environment,
      path: address.path,
      version,
      kek: `${ring.scope}#${kekVersion}`,
    };
  }

  /** The batch op writing the tombstone of `info` (a version just deleted or destroyed), under the current KEK. */
  function putOp(address: SecretAddress, ring: Keyring, info: VersionInfo): BatchOp {
    if (info.state === 'active')
      throw new Error('a tombstone is only written for a deleted or destroyed version');
    const record: TombstoneRecord = {
      version: info.version,
      createdAt: info.createdAt,
      state: info.state,
      at: (info.state === 'deleted' ? info.deletedAt : info.destroyedAt) ?? '',
    };
    const kek = keyVersion(ring);
    const box = sealAead(
      kek.key,
      Buffer.from(JSON.stringify(record)),
      aad(address, ring, info.version, kek.version),
    );
    return {
      op: 'put',
      key: tombstoneKey(address, info.version),
      value: encodeSealedMetadata({ kekVersion: kek.version, box }),
    };
  }

  /** The batch op removing the tombstone of a version (undelete, prune, the source of a move). */
  function deleteOp(address: SecretAddress, version: number): BatchOp {
    return { op: 'delete', key: tombstoneKey(address, version) };
  }

  /**
   * Refuse a read of `info`, a version its metadata shows live, if a tombstone says it was deleted or destroyed.
   * Returns undefined when the read cache knows there is none (the hot path: one map lookup, no await); otherwise a
   * promise to await.
   */
  function check(address: SecretAddress, ring: Keyring, info: VersionInfo): Promise<void> | undefined {
    if (peek !== undefined && peek(keyOf(address, info.version)) === null) return undefined;
    return checkStored(address, ring, info);
  }

  async function checkStored(address: SecretAddress, ring: Keyring, info: VersionInfo): Promise<void> {
    const entry = await backend.get(keyOf(address, info.version));
    if (!entry) return;
    const where = `${formatAddress(address)}@v${info.version}`;
    let record: TombstoneRecord;
    try {
      const sealed = decodeSealedMetadata(entry.value, `tombstone of ${where}`);
      const kek = keyVersion(ring, sealed.kekVersion);
      const plain = openAead(kek.key, sealed.box, aad(address, ring, info.version, kek.version));
      record = JSON.parse(plain.toString('utf8')) as TombstoneRecord;
    } catch {
      // Forged, corrupt, or sealed under a KEK version pruned since: it cannot be trusted either way, and a live
      // version with any tombstone at all is not a state Hush writes, so the read is refused.
      throw hushError(
        'LIVE_METADATA_BUT_TOMBSTONE_FAILS',
        { where },
        { path: formatAddress(address), version: info.version },
      );
    }
    // A tombstone of an earlier secret at this path (same number, another creation time) is not about this one.
    if (record.version !== info.version || record.createdAt !== info.createdAt) return;
    throw hushError(
      'TOMBSTONE_ROLLED_BACK',
      { where, state: record.state, at: record.at },
      { path: formatAddress(address), version: info.version },
    );
  }

  return { putOp, deleteOp, check };
}

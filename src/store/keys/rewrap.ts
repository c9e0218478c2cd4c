import { rewrapValue } from '../../core/crypto/envelope.js';
import { type Keyring, pruneKeyring } from '../../core/crypto/keyring.js';
import { wipe } from '../../core/crypto/random.js';
import { formatAddress, parseAddress, type SecretAddress } from '../../core/secrets/address.js';
import {
  decodeSealedMetadata,
  decodeSealedValue,
  encodeSealedValue,
} from '../../core/secrets/record-codec.js';
import { hasData } from '../../core/secrets/version-rules.js';
import type { BatchOp } from '../../storage/backend.js';
import { isCasConflict, retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import { parseScope } from '../scope.js';
import { addressTextOfMetaKey, dataKey, metaPrefixKey, tombstoneKey } from '../storage-keys.js';
import { listKeys } from './list-keys.js';
import { type KeyringSummary, summarize } from './rotate-kek.js';

/** Options of rewrap. */
export interface RewrapOptions {
  /** After a complete pass, drop KEK versions older than the current one if no row references them any more. */
  readonly prune?: boolean;
}

/** Counts from a rewrap pass (run it again at any time: rows already current are skipped). */
export interface RewrapResult {
  readonly scope: string;
  readonly kekVersion: number;
  readonly secrets: number;
  /** Versions whose data key moved to the current KEK in this pass. */
  readonly rewrapped: number;
  readonly alreadyCurrent: number;
  readonly metadataRewrapped: number;
  /** KEK versions removed (only with `prune`). */
  readonly prunedVersions: number[];
  readonly keyring: KeyringSummary;
}

/** What rewrapping one secret did. */
interface SecretCounts {
  readonly kekVersion: number;
  readonly rewrapped: number;
  readonly alreadyCurrent: number;
  readonly metadata: number;
}

/**
 * Build `rewrap`: move every data key (and metadata row) of a project/environment to the current KEK version, every
 * write fenced by its secret's metadata check-and-set, so it is safe alongside writers (however busy), resumable
 * and idempotent.
 */
export function createRewrap(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'io'>) {
  return async function rewrap(scope: string, options: RewrapOptions = {}): Promise<RewrapResult> {
    const s = parseScope(scope);
    const totals = { secrets: 0, rewrapped: 0, alreadyCurrent: 0, metadataRewrapped: 0 };
    const base = metaPrefixKey({ project: s.project, environment: s.environment });
    let current = 0;
    for await (const key of listKeys(ctx.backend, base)) {
      const counts = await rewrapOne(key);
      if (counts === undefined) continue; // deleted or moved since the listing
      current = Math.max(current, counts.kekVersion);
      totals.secrets += 1;
      totals.rewrapped += counts.rewrapped;
      totals.alreadyCurrent += counts.alreadyCurrent;
      totals.metadataRewrapped += counts.metadata;
    }
    const opened = await ctx.barrier.keyring(s.project, s.environment, false);
    const kekVersion = opened?.ring.current ?? current;
    let prunedVersions: number[] = [];
    let ring = opened?.ring;
    if (options.prune && opened && (await allCurrent(base, kekVersion))) {
      const fresh = (await ctx.barrier.freshKeyring(s.project, s.environment))!;
      prunedVersions = fresh.ring.versions.filter((v) => v.version < kekVersion).map((v) => v.version);
      if (prunedVersions.length > 0) {
        ring = pruneKeyring(fresh.ring, kekVersion);
        await ctx.barrier.saveKeyring(s.project, s.environment, ring, fresh.revision);
      }
      for (const v of fresh.ring.versions) wipe(v.key);
    }
    const keyring = summarize(s.text, ring ?? { current: 0, versions: [] });
    return { scope: s.text, kekVersion, ...totals, prunedVersions, keyring };
  };

  /**
   * Move one secret's rows to the current KEK: one atomic batch of its stale data rows and its metadata, the
   * metadata's check-and-set fencing the rows. A row's own revision cannot do that alone: revisions restart after a
   * delete, so a secret moved away and written anew at the same path has rows at the same revisions.
   * When the batch loses to a writer (a busy secret, which also prunes its oldest version on every write), each row
   * moves alone, fenced by metadata read again just before it, so the race window is one row's, not the secret's,
   * and rewrap finishes however busy the secret is.
   */
  async function rewrapOne(key: string): Promise<SecretCounts | undefined> {
    const address = parseAddress(addressTextOfMetaKey(key));
    const loaded = await ctx.io.find(address);
    if (!loaded.meta) return undefined;
    const { ring } = loaded;
    const stale: number[] = [];
    const ops: BatchOp[] = [];
    let alreadyCurrent = 0;
    for (const { version } of loaded.meta.versions.filter(hasData)) {
      const op = await rewrapRow(ring, address, version);
      if (op === 'current') alreadyCurrent += 1;
      else if (op !== 'gone') {
        stale.push(version);
        ops.push(op);
      }
    }
    // Version tombstones move too (in the same fenced batch), so `prune` leaves nothing under the old KEK.
    for (const info of loaded.meta.versions) {
      if (info.state === 'active') continue;
      const tomb = await ctx.backend.get(tombstoneKey(address, info.version));
      if (tomb && decodeSealedMetadata(tomb.value, tomb.key).kekVersion < ring.current)
        ops.push(ctx.io.tombstones.putOp(address, ring, info));
    }
    const metadata = loaded.metaKekVersion === ring.current ? 0 : 1;
    if (ops.length === 0 && metadata === 0)
      return { kekVersion: ring.current, rewrapped: 0, alreadyCurrent, metadata };
    ops.push(ctx.io.metaOp(address, ring, loaded.meta, loaded.revision));
    try {
      await ctx.backend.batch(ops);
      return { kekVersion: ring.current, rewrapped: stale.length, alreadyCurrent, metadata };
    } catch (err) {
      if (!isCasConflict(err)) throw err;
    }
    let rewrapped = 0;
    let metadataMoved = 0;
    for (const version of stale) {
      const moved = await retryOnConflict(() => rewrapRowFenced(address, version), 10);
      if (moved === 'secret-gone') return undefined;
      if (moved.row) rewrapped += 1;
      metadataMoved ||= moved.metadata;
    }
    const last = await retryOnConflict(() => rewrapMetadata(address), 10);
    // Gone since: moved or deleted by another writer, so no longer this environment's to count.
    if (last === 'secret-gone') return undefined;
    return { kekVersion: ring.current, rewrapped, alreadyCurrent, metadata: metadataMoved || last };
  }

  /** The put that moves a data row to the current KEK (check-and-set on the row), or why none is needed. */
  async function rewrapRow(
    ring: Keyring,
    address: SecretAddress,
    version: number,
  ): Promise<BatchOp | 'gone' | 'current'> {
    const row = await ctx.backend.get(dataKey(address, version));
    if (!row) return 'gone';
    const sealed = decodeSealedValue(row.value, `data of ${formatAddress(address)}@v${version}`);
    // Newer than this ring: a rotation and rewrap running alongside this one moved it already.
    if (sealed.kekVersion >= ring.current) return 'current';
    const moved = rewrapValue(ring, { ...address, version }, sealed);
    return { op: 'put', key: row.key, value: encodeSealedValue(moved), expectedRevision: row.revision };
  }

  /**
   * Move one data row alone, in a batch with the secret's metadata as read just before (re-sealed under the current
   * KEK, check-and-set): the row written is the one this metadata lists, not a row of a secret that replaced it.
   */
  async function rewrapRowFenced(
    address: SecretAddress,
    version: number,
  ): Promise<{ row: boolean; metadata: number } | 'secret-gone'> {
    const loaded = await ctx.io.find(address);
    if (!loaded.meta) return 'secret-gone';
    if (!loaded.meta.versions.some((v) => v.version === version && hasData(v)))
      return { row: false, metadata: 0 };
    const op = await rewrapRow(loaded.ring, address, version);
    if (op === 'gone' || op === 'current') return { row: false, metadata: 0 };
    await ctx.backend.batch([op, ctx.io.metaOp(address, loaded.ring, loaded.meta, loaded.revision)]);
    return { row: true, metadata: loaded.metaKekVersion === loaded.ring.current ? 0 : 1 };
  }

  /** Re-seal the metadata under the current KEK when it is not already; 1 when it was moved. */
  async function rewrapMetadata(address: SecretAddress): Promise<number | 'secret-gone'> {
    const loaded = await ctx.io.find(address);
    if (!loaded.meta) return 'secret-gone';
    if (loaded.metaKekVersion === loaded.ring.current) return 0;
    await ctx.backend.batch([ctx.io.metaOp(address, loaded.ring, loaded.meta, loaded.revision)]);
    return 1;
  }

  /** Verify from the rows themselves that nothing references an older KEK before dropping it. */
  async function allCurrent(base: string, kekVersion: number): Promise<boolean> {
    for await (const key of listKeys(ctx.backend, base)) {
      const entry = await ctx.backend.get(key);
      if (entry && decodeSealedMetadata(entry.value, key).kekVersion !== kekVersion) return false;
      // Every row of this secret, including any the metadata no longer lists: `data/<address>#`.
      const versionsPrefix = dataKey(parseAddress(addressTextOfMetaKey(key)), 0).slice(0, -1);
      for await (const rowKey of listKeys(ctx.backend, versionsPrefix)) {
        const row = await ctx.backend.get(rowKey);
        if (row && decodeSealedValue(row.value, rowKey).kekVersion !== kekVersion) return false;
      }
      // And its version tombstones: `gone/<address>#`.
      const tombsPrefix = tombstoneKey(parseAddress(addressTextOfMetaKey(key)), 0).slice(0, -1);
      for await (const rowKey of listKeys(ctx.backend, tombsPrefix)) {
        const row = await ctx.backend.get(rowKey);
        if (row && decodeSealedMetadata(row.value, rowKey).kekVersion !== kekVersion) return false;
      }
    }
    return true;
  }
}

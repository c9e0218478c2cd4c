import { rewrapValue } from '../core/crypto/envelope.js';
import { pruneKeyring } from '../core/crypto/keyring.js';
import { wipe } from '../core/crypto/random.js';
import { parseAddress } from '../core/secrets/address.js';
import { decodeSealedMetadata, decodeSealedValue, encodeSealedValue } from '../core/secrets/record-codec.js';
import { hasData } from '../core/secrets/version-rules.js';
import type { BatchOp } from '../storage/backend.js';
import type { StoreContext } from './context.js';
import { listKeys } from './list-keys.js';
import { type KeyringSummary, summarize } from './rotate-kek.js';
import { parseScope } from './scope.js';
import { retryOnConflict } from './secret-io.js';
import { addressTextOfMetaKey, dataKey, metaPrefixKey } from './storage-keys.js';

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

/**
 * Build `rewrap`: move every data key (and metadata row) of a project/environment to the current KEK version, one
 * secret per atomic batch with check-and-set, so it is safe alongside writers, resumable and idempotent.
 */
export function createRewrap(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'io'>) {
  return async function rewrap(scope: string, options: RewrapOptions = {}): Promise<RewrapResult> {
    const s = parseScope(scope);
    const totals = { secrets: 0, rewrapped: 0, alreadyCurrent: 0, metadataRewrapped: 0 };
    const base = metaPrefixKey({ project: s.project, environment: s.environment });
    let current = 0;
    for await (const key of listKeys(ctx.backend, base)) {
      const counts = await retryOnConflict(() => rewrapOne(key));
      current = counts.kekVersion;
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

  async function rewrapOne(key: string) {
    const address = parseAddress(addressTextOfMetaKey(key));
    const loaded = await ctx.io.load(address);
    const { ring } = loaded;
    const ops: BatchOp[] = [];
    let alreadyCurrent = 0;
    for (const info of loaded.meta.versions.filter(hasData)) {
      const row = await ctx.backend.get(dataKey(address, info.version));
      if (!row) continue;
      const sealed = decodeSealedValue(row.value, `data of ${loaded.where}@v${info.version}`);
      if (sealed.kekVersion === ring.current) {
        alreadyCurrent += 1;
        continue;
      }
      const moved = rewrapValue(ring, { ...address, version: info.version }, sealed);
      ops.push({ op: 'put', key: row.key, value: encodeSealedValue(moved), expectedRevision: row.revision });
    }
    const metadata = loaded.metaKekVersion === ring.current ? 0 : 1;
    // The metadata write (check-and-set) also fences concurrent writers of this secret.
    if (ops.length > 0 || metadata) ops.push(ctx.io.metaOp(address, ring, loaded.meta, loaded.revision));
    if (ops.length > 0) await ctx.backend.batch(ops);
    return {
      kekVersion: ring.current,
      rewrapped: ops.length - (ops.length > 0 ? 1 : 0),
      alreadyCurrent,
      metadata,
    };
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
    }
    return true;
  }
}

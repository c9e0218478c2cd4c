import type { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import {
  formatAddress,
  formatPrefix,
  parseAddress,
  parsePrefix,
  type SecretAddress,
} from '../../core/secrets/address.js';
import { hasData } from '../../core/secrets/version-rules.js';
import type { BatchOp } from '../../storage/backend.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import { listKeys } from '../keys/list-keys.js';
import { addressTextOfMetaKey, dataKey, META_PREFIX, metaKey, metaPrefixKey } from '../storage-keys.js';

/** Options of move. */
export interface MoveOptions {
  readonly actor: string;
  /** Replace secrets that already exist at the destination (their old versions are shredded). */
  readonly overwrite?: boolean;
  /**
   * Called after each secret has moved (its batch committed), with both paths: how state kept beside the store
   * (rotation bookkeeping) follows. A failure stops the move there and is reported as the move's error.
   */
  readonly onMoved?: (from: string, to: string) => Promise<void>;
}

/** What a move did. */
export interface MoveResult {
  readonly moved: { readonly from: string; readonly to: string }[];
}

/**
 * Build `move`: rename a secret, and everything below it as a prefix (`p/e/db` moves `p/e/db` and `p/e/db/...`;
 * `p/e` moves a whole environment). A ciphertext is bound to its path, so each version is re-encrypted for its new
 * location; each secret moves atomically (one batch) with its versions and metadata.
 */
export function createMoveSecrets(ctx: Pick<StoreContext, 'io' | 'backend' | 'barrier' | 'clock'>) {
  return async function moveSecrets(from: string, to: string, options: MoveOptions): Promise<MoveResult> {
    ctx.barrier.assertUnsealed();
    const fromText = formatPrefix(parsePrefix(from));
    const toText = formatPrefix(parsePrefix(to));
    if (fromText === toText) {
      throw hushError('MOVE_SOURCE_DESTINATION_BOTH', { fromText });
    }
    if (toText.startsWith(`${fromText}/`)) {
      throw hushError('CANNOT_MOVE_INTO_ITSELF', { fromText, toText });
    }
    const pairs = (await sources(fromText)).map((src) => ({
      src,
      dst: parseAddress(toText + formatAddress(src).slice(fromText.length)),
    }));
    if (pairs.length === 0) {
      throw hushError(
        'NOTHING_MOVE_NO_SECRET_BELOW',
        { fromText },
        {
          path: fromText,
        },
      );
    }
    if (!options.overwrite) {
      const taken: string[] = [];
      for (const { dst } of pairs) if (await ctx.backend.get(metaKey(dst))) taken.push(formatAddress(dst));
      if (taken.length > 0) throw alreadyExists(taken);
    }
    const moved: { from: string; to: string }[] = [];
    for (const { src, dst } of pairs) {
      await retryOnConflict(() => moveOne(src, dst, options));
      const pair = { from: formatAddress(src), to: formatAddress(dst) };
      await options.onMoved?.(pair.from, pair.to);
      moved.push(pair);
    }
    return { moved };
  };

  async function sources(fromText: string): Promise<SecretAddress[]> {
    const found: SecretAddress[] = [];
    if (fromText.split('/').length >= 3 && (await ctx.backend.get(`${META_PREFIX}${fromText}`))) {
      found.push(parseAddress(fromText));
    }
    for await (const key of listKeys(ctx.backend, metaPrefixKey(parsePrefix(fromText)))) {
      found.push(parseAddress(addressTextOfMetaKey(key)));
    }
    return found;
  }

  async function moveOne(src: SecretAddress, dst: SecretAddress, options: MoveOptions): Promise<void> {
    const loaded = await ctx.io.load(src);
    const target = await ctx.io.find(dst);
    if (target.meta && !options.overwrite) throw alreadyExists([formatAddress(dst)]);
    const dstRing = target.meta ? target.ring : await ctx.io.writableRing(dst);
    const ops: BatchOp[] = [];
    const written = new Set<number>();
    for (const info of loaded.meta.versions.filter(hasData)) {
      // A rolled-back live version must not be carried to a path without its tombstone (that would launder it).
      if (info.state === 'active') await ctx.io.tombstones.check(src, loaded.ring, info);
      const bytes = await ctx.io.readValue(src, loaded.ring, info.version);
      try {
        // Unconditional put: an overwritten destination may hold a row at the same version; the metadata
        // check-and-set below is what guards against concurrent writers.
        ops.push(ctx.io.dataOp(dst, dstRing, info.version, bytes, null));
        written.add(info.version);
      } finally {
        bytes.fill(0);
      }
      ops.push({ op: 'delete', key: dataKey(src, info.version) });
    }
    for (const old of target.meta?.versions.filter(hasData) ?? []) {
      if (!written.has(old.version)) ops.push({ op: 'delete', key: dataKey(dst, old.version) });
    }
    // Tombstones follow their versions (re-sealed for the new location); a replaced destination's go.
    const buried = new Set<number>();
    for (const info of loaded.meta.versions) {
      if (info.state === 'active') continue;
      ops.push(ctx.io.tombstones.deleteOp(src, info.version), ctx.io.tombstones.putOp(dst, dstRing, info));
      buried.add(info.version);
    }
    for (const old of target.meta?.versions ?? []) {
      if (old.state !== 'active' && !buried.has(old.version))
        ops.push(ctx.io.tombstones.deleteOp(dst, old.version));
    }
    const meta = { ...loaded.meta, updatedAt: ctx.clock().toISOString(), updatedBy: options.actor };
    ops.push(ctx.io.metaOp(dst, dstRing, meta, target.revision));
    ops.push({ op: 'delete', key: metaKey(src), expectedRevision: loaded.revision });
    await ctx.backend.batch(ops);
  }
}

function alreadyExists(paths: string[]): HushError {
  const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '');
  return hushError(
    'MOVE_DESTINATION_OCCUPIED',
    { value: paths.length === 1 ? 'a secret' : `${paths.length} secrets`, shown },
    { count: paths.length },
  );
}

import { parseAddress } from '../../core/secrets/address.js';
import type { VersionInfo } from '../../core/secrets/secret-metadata.js';
import { findVersion } from '../../core/secrets/version-rules.js';
import type { BatchOp } from '../../storage/backend.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import type { LoadedSecret } from './secret-io.js';

/** Options of delete, undelete and destroy. */
export interface VersionChangeOptions {
  readonly actor: string;
  /** The versions to change (default: the latest). */
  readonly versions?: readonly number[];
}

/** What a delete/undelete/destroy changed. */
export interface VersionChangeResult {
  readonly path: string;
  /** Versions whose state changed (already-in-state versions are left out). */
  readonly changed: number[];
}

/** Per-version transition: the new entry plus extra ops, or undefined when the version is already in that state. */
type Transition = (
  info: VersionInfo,
  loaded: LoadedSecret,
  now: string,
  actor: string,
) => { info: VersionInfo; ops?: BatchOp[] } | undefined;

/**
 * Shared body of delete/undelete/destroy: find each named version (unknown -> HUSH_E_NOT_FOUND), apply the
 * transition, and write metadata plus any row deletions in one batch with check-and-set.
 */
export function createVersionChange(
  ctx: Pick<StoreContext, 'io' | 'backend' | 'clock'>,
  transition: Transition,
) {
  return async function changeVersions(
    address: string,
    options: VersionChangeOptions,
  ): Promise<VersionChangeResult> {
    const parsed = parseAddress(address);
    return retryOnConflict(async () => {
      const loaded = await ctx.io.load(parsed);
      const now = ctx.clock().toISOString();
      const wanted = new Set(options.versions ?? [loaded.meta.current]);
      const targets = [...wanted].map((v) => findVersion(loaded.meta, loaded.where, v));
      const changed: number[] = [];
      const ops: BatchOp[] = [];
      const byVersion = new Map(loaded.meta.versions.map((v) => [v.version, v]));
      for (const target of targets) {
        const next = transition(target, loaded, now, options.actor);
        if (!next) continue;
        byVersion.set(target.version, next.info);
        changed.push(target.version);
        ops.push(...(next.ops ?? []));
      }
      if (changed.length > 0) {
        const meta = {
          ...loaded.meta,
          updatedAt: now,
          updatedBy: options.actor,
          versions: [...byVersion.values()],
        };
        await ctx.backend.batch([ctx.io.metaOp(parsed, loaded.ring, meta, loaded.revision), ...ops]);
      }
      return { path: loaded.where, changed: changed.sort((a, b) => a - b) };
    });
  };
}

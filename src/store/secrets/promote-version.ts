import { hushError } from '../../core/errors/index.js';
import { parseAddress } from '../../core/secrets/address.js';
import type { SecretMetadata, VersionLabels } from '../../core/secrets/secret-metadata.js';
import { readableVersion } from '../../core/secrets/version-rules.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import { createListVersions, type SecretInfo } from './versions.js';

/** Options of promote and cancelPending. */
export interface LabelChangeOptions {
  readonly actor: string;
  /** Check-and-set: the pending version the caller staged (another rotation may have staged a newer one). */
  readonly cas?: number;
}

type LabelContext = Pick<StoreContext, 'io' | 'backend' | 'clock'>;

/** Build a label change: read the metadata, compute new labels, write back with check-and-set on the row. */
function createLabelChange(
  ctx: LabelContext,
  change: (meta: SecretMetadata, where: string) => VersionLabels,
) {
  const describe = createListVersions(ctx);
  return async function changeLabels(address: string, options: LabelChangeOptions): Promise<SecretInfo> {
    const parsed = parseAddress(address);
    await retryOnConflict(async () => {
      const loaded = await ctx.io.load(parsed);
      const pending = loaded.meta.labels?.pending;
      if (pending === undefined)
        throw hushError('NO_PENDING_VERSION_STAGE_ONE', { where: loaded.where }, { path: loaded.where });
      if (options.cas !== undefined && options.cas !== pending)
        throw hushError(
          'CHECK_SET_FAILED_EXPECTED_PENDING',
          { where: loaded.where, cas: options.cas, pending },
          { path: loaded.where, expected: options.cas, found: pending },
        );
      const labels = change(loaded.meta, loaded.where);
      const meta: SecretMetadata = {
        ...loaded.meta,
        labels,
        updatedAt: ctx.clock().toISOString(),
        updatedBy: options.actor,
      };
      await ctx.backend.batch([ctx.io.metaOp(parsed, loaded.ring, meta, loaded.revision)]);
    });
    return describe(address);
  };
}

/** Build `promote`: pending -> current, the old current -> previous (the pending version must be readable). */
export function createPromoteVersion(ctx: LabelContext) {
  return createLabelChange(ctx, (meta, where) => {
    const labels = meta.labels ?? {};
    const pending = readableVersion(meta, where, labels.pending).version;
    const { pending: _promoted, ...rest } = labels;
    return {
      ...rest,
      current: pending,
      ...(labels.current !== undefined ? { previous: labels.current } : {}),
    };
  });
}

/** Build `cancelPending`: drop the pending label; the staged version stays in history but is never served. */
export function createCancelPending(ctx: LabelContext) {
  return createLabelChange(ctx, (meta) => {
    const { pending: _cancelled, ...rest } = meta.labels ?? {};
    return rest;
  });
}

import { parseAddress } from '../../core/secrets/address.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import { applyMetadataOptions, type MetadataOptions } from './metadata-options.js';
import { casConflict } from './put-secret.js';
import { createListVersions, type SecretInfo } from './versions.js';

/** Options of updateMetadata. */
export interface UpdateMetadataOptions extends MetadataOptions {
  readonly actor: string;
  /** Check-and-set on the latest version number. */
  readonly cas?: number;
}

/** Build `updateMetadata`: change description, tags or expiry without writing a new version. */
export function createUpdateMetadata(ctx: Pick<StoreContext, 'io' | 'backend' | 'clock'>) {
  const describe = createListVersions(ctx);
  return async function updateMetadata(address: string, options: UpdateMetadataOptions): Promise<SecretInfo> {
    const parsed = parseAddress(address);
    await retryOnConflict(async () => {
      const loaded = await ctx.io.load(parsed);
      if (options.cas !== undefined && options.cas !== loaded.meta.current) {
        throw casConflict(loaded.where, options.cas, loaded.meta.current);
      }
      const meta = applyMetadataOptions(
        { ...loaded.meta, updatedAt: ctx.clock().toISOString(), updatedBy: options.actor },
        options,
      );
      await ctx.backend.batch([ctx.io.metaOp(parsed, loaded.ring, meta, loaded.revision)]);
    });
    return describe(address);
  };
}

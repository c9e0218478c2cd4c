import { parseAddress } from '../../core/secrets/address.js';
import { readableVersion } from '../../core/secrets/version-rules.js';
import type { StoreContext } from '../context.js';
import { createVersionWriter, type PutOptions, type PutResult } from './put-secret.js';

/** Options of rollback. */
export interface RollbackOptions extends PutOptions {
  /** The version whose content becomes the new latest version. */
  readonly version: number;
}

/** Build `rollback`: write a new version holding the content of an older (readable) one; history is kept. */
export function createRollback(ctx: Pick<StoreContext, 'io' | 'backend' | 'clock' | 'limits'>) {
  const writeVersion = createVersionWriter(ctx);
  return async function rollback(address: string, options: RollbackOptions): Promise<PutResult> {
    const parsed = parseAddress(address);
    const loaded = await ctx.io.load(parsed);
    const info = readableVersion(loaded.meta, loaded.where, options.version);
    await ctx.io.tombstones.check(parsed, loaded.ring, info);
    const bytes = await ctx.io.readValue(parsed, loaded.ring, info.version);
    try {
      // Without an explicit cas, pin to the version we just looked at so a concurrent write is not silently undone.
      return await writeVersion(parsed, bytes, { ...options, cas: options.cas ?? loaded.meta.current });
    } finally {
      bytes.fill(0);
    }
  };
}

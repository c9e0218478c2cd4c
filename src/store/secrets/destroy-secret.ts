import type { StoreContext } from '../context.js';
import { dataKey } from '../storage-keys.js';
import { createVersionChange } from './change-versions.js';

/**
 * Build `destroy`: delete the data rows of versions. Each row holds the only wrapped copy of that version's data key,
 * so the value is crypto-shredded: not even the root key can read it again. Metadata keeps a tombstone.
 */
export function createDestroySecret(ctx: Pick<StoreContext, 'io' | 'backend' | 'clock'>) {
  return createVersionChange(ctx, (info, loaded, now, actor) => {
    if (info.state === 'destroyed') return undefined;
    const destroyed = { ...info, state: 'destroyed' as const, destroyedAt: now, destroyedBy: actor };
    return {
      info: destroyed,
      ops: [
        { op: 'delete', key: dataKey(loaded.address, info.version) },
        // Replaces a deleted version's tombstone: copies of the rows put back later are refused.
        ctx.io.tombstones.putOp(loaded.address, loaded.ring, destroyed),
      ],
    };
  });
}

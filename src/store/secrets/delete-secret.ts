import type { StoreContext } from '../context.js';
import { createVersionChange } from './change-versions.js';

/** Build `delete`: soft-delete versions (reads then fail with HUSH_E_DELETED; `undelete` restores them). */
export function createDeleteSecret(ctx: Pick<StoreContext, 'io' | 'backend' | 'clock'>) {
  return createVersionChange(ctx, (info, loaded, now, actor) => {
    if (info.state !== 'active') return undefined;
    const deleted = { ...info, state: 'deleted' as const, deletedAt: now, deletedBy: actor };
    // The tombstone, in the same batch, is what catches the old metadata row being put back later.
    return { info: deleted, ops: [ctx.io.tombstones.putOp(loaded.address, loaded.ring, deleted)] };
  });
}

import { createVersionChange } from './change-versions.js';
import type { StoreContext } from './context.js';

/** Build `delete`: soft-delete versions (reads then fail with HUSH_E_DELETED; `undelete` restores them). */
export function createDeleteSecret(ctx: Pick<StoreContext, 'io' | 'backend' | 'clock'>) {
  return createVersionChange(ctx, (info, _loaded, now, actor) =>
    info.state === 'active'
      ? { info: { ...info, state: 'deleted', deletedAt: now, deletedBy: actor } }
      : undefined,
  );
}

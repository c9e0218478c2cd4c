import { hushError } from '../../core/errors/index.js';
import type { StoreContext } from '../context.js';
import { createVersionChange } from './change-versions.js';

/** Build `undelete`: restore soft-deleted versions; destroyed versions cannot come back (HUSH_E_DESTROYED). */
export function createUndeleteSecret(ctx: Pick<StoreContext, 'io' | 'backend' | 'clock'>) {
  return createVersionChange(ctx, (info, loaded) => {
    if (info.state === 'destroyed') {
      throw hushError(
        'VERSION_DESTROYED',
        { version: info.version, where: loaded.where },
        { path: loaded.where, version: info.version },
      );
    }
    if (info.state !== 'deleted') return undefined;
    const { deletedAt: _at, deletedBy: _by, ...rest } = info;
    return {
      info: { ...rest, state: 'active' },
      ops: [ctx.io.tombstones.deleteOp(loaded.address, info.version)],
    };
  });
}

import { HushError } from '../../core/errors/hush-error.js';
import type { StoreContext } from '../context.js';
import { createVersionChange } from './change-versions.js';

/** Build `undelete`: restore soft-deleted versions; destroyed versions cannot come back (HUSH_E_DESTROYED). */
export function createUndeleteSecret(ctx: Pick<StoreContext, 'io' | 'backend' | 'clock'>) {
  return createVersionChange(ctx, (info, loaded) => {
    if (info.state === 'destroyed') {
      throw new HushError(
        'HUSH_E_DESTROYED',
        `version ${info.version} of ${loaded.where} was destroyed and cannot be restored`,
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

import { createVersionChange } from './change-versions.js';
import type { StoreContext } from './context.js';
import { dataKey } from './storage-keys.js';

/**
 * Build `destroy`: delete the data rows of versions. Each row holds the only wrapped copy of that version's data key,
 * so the value is crypto-shredded: not even the root key can read it again. Metadata keeps a tombstone.
 */
export function createDestroySecret(ctx: Pick<StoreContext, 'io' | 'backend' | 'clock'>) {
  return createVersionChange(ctx, (info, loaded, now, actor) =>
    info.state === 'destroyed'
      ? undefined
      : {
          info: { ...info, state: 'destroyed', destroyedAt: now, destroyedBy: actor },
          ops: [{ op: 'delete', key: dataKey(loaded.address, info.version) }],
        },
  );
}

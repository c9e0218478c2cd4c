import { parseProtector, WRAPPER_ID } from '../../core/crypto/key-wrapper.js';
import { wipe } from '../../core/crypto/random.js';
import { hushError } from '../../core/errors/index.js';
import type { BatchOp } from '../../storage/backend.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import { parseScope } from '../scope.js';
import { sealFence } from '../seal/seal-fence.js';
import { keyringKey } from '../storage-keys.js';
import { importedKeyKey } from './byok-records.js';

/** What a protector change did (nothing secret). */
export interface ProtectorChange {
  readonly scope: string;
  /** `root`, `imported:<fingerprint>` or `hsm:<id>`. */
  readonly protector: string;
  readonly previous: string;
  readonly changed: boolean;
}

/** What revokeImported did. */
export interface RevokeResult {
  readonly scope: string;
  readonly fingerprint: string;
  readonly revokedAt: string;
}

/**
 * Build `setKeyringProtector`: re-seal a project/environment keyring under the root key (`'root'`, i.e. `hush keys
 * use-root`) or an external key wrapper (`'hsm:<id>'`, one of the store's `keyWrappers`). Only the keyring row
 * changes; an imported key it leaves is deleted in the same batch (the customer keeps their own copy).
 */
export function createSetKeyringProtector(ctx: Pick<StoreContext, 'backend' | 'barrier'>) {
  return async function setKeyringProtector(scope: string, protector: string): Promise<ProtectorChange> {
    const s = parseScope(scope);
    const target = parseProtector(protector);
    if (!target || target.kind === 'imported') {
      throw hushError('EXPECTED_PROTECTOR_ROOT_HSM_ID', { source: WRAPPER_ID.source, protector });
    }
    const root = ctx.barrier.rootKey();
    const result = await retryOnConflict(async () => {
      const opened = await ctx.barrier.freshKeyring(s.project, s.environment);
      if (!opened) {
        throw hushError('NO_KEYRING_YET_NOTHING_EVER', { text: s.text }, { path: s.text });
      }
      try {
        if (opened.protector === protector) {
          return { scope: s.text, protector, previous: opened.protector, changed: false };
        }
        const value = await ctx.barrier.sealer.seal(root, s.project, s.environment, opened.ring, target);
        const ops: BatchOp[] = [
          { op: 'put', key: keyringKey(s.project, s.environment), value, expectedRevision: opened.revision },
          await sealFence(ctx.backend, root),
        ];
        const recordKey = importedKeyKey(s.project, s.environment);
        const record = await ctx.backend.get(recordKey);
        if (record) ops.push({ op: 'delete', key: recordKey, expectedRevision: record.revision });
        await ctx.backend.batch(ops);
        return { scope: s.text, protector, previous: opened.protector, changed: true };
      } finally {
        for (const v of opened.ring.versions) wipe(v.key);
      }
    });
    ctx.barrier.forget(s.project, s.environment);
    return result;
  };
}

/**
 * Build `revokeImported`: crypto-shred the imported key of a project/environment. Its keyring row stays sealed under
 * that key, so every secret there becomes unreadable (HUSH_E_KEY_UNAVAILABLE) unless the same key material is
 * imported again; other projects are untouched. The keyring row is rewritten unchanged so that every process drops
 * its cached copy on its next access.
 */
export function createRevokeImported(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'clock'>) {
  return async function revokeImported(scope: string): Promise<RevokeResult> {
    const s = parseScope(scope);
    ctx.barrier.assertUnsealed();
    const result = await retryOnConflict(async () => {
      const record = await ctx.barrier.sealer.importedRecord(s.project, s.environment);
      const recordKey = importedKeyKey(s.project, s.environment);
      const stored = await ctx.backend.get(recordKey);
      if (!record || !stored) {
        throw hushError('NO_IMPORTED_KEY_NOTHING_REVOKE', { text: s.text }, { path: s.text });
      }
      const ops: BatchOp[] = [{ op: 'delete', key: recordKey, expectedRevision: stored.revision }];
      const ring = await ctx.backend.get(keyringKey(s.project, s.environment));
      if (ring) ops.push({ op: 'put', key: ring.key, value: ring.value, expectedRevision: ring.revision });
      await ctx.backend.batch(ops);
      return { scope: s.text, fingerprint: record.fingerprint, revokedAt: ctx.clock().toISOString() };
    });
    ctx.barrier.forget(s.project, s.environment);
    return result;
  };
}

import { openKeyring, sealKeyring } from '../../core/crypto/keyring.js';
import { readKeyringHeader } from '../../core/crypto/keyring-protected.js';
import { generateKey, wipe } from '../../core/crypto/random.js';
import { hushError } from '../../core/errors/index.js';
import type { Seal } from '../../seal/seal.js';
import type { BatchOp } from '../../storage/backend.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import { BYOK_PREFIX, resealByokRecord } from '../keys/byok-records.js';
import { listKeys } from '../keys/list-keys.js';
import { KEYRING_PREFIX, SEAL_KEY } from '../storage-keys.js';
import { type SealMaterialResult, warningOf } from './init-store.js';
import { decodeSealEntry, encodeSealEntry, rootCheckMatches, rootCheckValue } from './seal-entry.js';

/** Options of rotateRoot. */
export interface RotateRootOptions {
  /**
   * The seal to protect the new root key (default: the configured one). The key-file seal never overwrites its
   * file, so rotating it needs a seal on a new path; the store switches to the seal given here.
   */
  readonly seal?: Seal;
}

/**
 * Build `rotateRoot`: a new root key re-seals every keyring and is itself sealed anew, all in one atomic batch. The old
 * unseal material stops working; the new one-time material (e.g. new shares) is returned once.
 */
export function createRotateRoot(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'seal' | 'clock'>) {
  return async function rotateRoot(options: RotateRootOptions = {}): Promise<SealMaterialResult> {
    const oldRoot = ctx.barrier.rootKey();
    const seal = options.seal ?? ctx.seal.current;
    const newRoot = generateKey();
    try {
      // Seal once: a seal's init can have side effects (a new key file), so retries below reuse its record.
      const { record, oneTime } = await seal.init(newRoot);
      const rotatedAt = ctx.clock().toISOString();
      await retryOnConflict(async () => {
        const stored = await ctx.backend.get(SEAL_KEY);
        const entry = stored ? decodeSealEntry(stored.value) : undefined;
        if (!stored || !entry || !rootCheckMatches(oldRoot, entry.check)) {
          throw hushError('ROOT_KEY_CHANGED_ANOTHER_PROCESS');
        }
        const ops: BatchOp[] = await resealKeyrings(oldRoot, newRoot);
        const next = { ...entry, record, check: rootCheckValue(newRoot), rotatedAt };
        ops.push({
          op: 'put',
          key: SEAL_KEY,
          value: encodeSealEntry(next),
          expectedRevision: stored.revision,
        });
        await ctx.backend.batch(ops);
      });
      ctx.barrier.open(Buffer.from(newRoot));
      ctx.seal.current = seal;
      return { sealKind: seal.kind, ...(oneTime ? { oneTime } : {}), ...warningOf(seal) };
    } finally {
      wipe(newRoot);
    }
  };

  async function resealKeyrings(oldRoot: Buffer, newRoot: Buffer): Promise<BatchOp[]> {
    const ops: BatchOp[] = [];
    for await (const key of listKeys(ctx.backend, KEYRING_PREFIX)) {
      const entry = await ctx.backend.get(key);
      if (!entry) continue;
      const scope = key.slice(KEYRING_PREFIX.length);
      // A keyring under an imported key or an HSM key does not depend on the root key: nothing to re-seal.
      if (readKeyringHeader(scope, entry.value).protector.kind !== 'root') continue;
      const ring = openKeyring(oldRoot, scope, entry.value);
      ops.push({ op: 'put', key, value: sealKeyring(newRoot, ring), expectedRevision: entry.revision });
      for (const v of ring.versions) wipe(v.key);
    }
    // Imported customer keys and import wrapping keys are sealed under the root key too.
    for await (const key of listKeys(ctx.backend, BYOK_PREFIX)) {
      const entry = await ctx.backend.get(key);
      if (!entry) continue;
      const value = resealByokRecord(key, entry.value, oldRoot, newRoot);
      ops.push({ op: 'put', key, value, expectedRevision: entry.revision });
    }
    return ops;
  }
}

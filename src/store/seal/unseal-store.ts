import { wipe } from '../../core/crypto/random.js';
import { HushError } from '../../core/errors/hush-error.js';
import type { UnsealMaterial } from '../../seal/seal.js';
import type { StoreContext } from '../context.js';
import { SEAL_KEY, SEALED_FLAG_KEY } from '../storage-keys.js';
import { decodeSealEntry, rootCheckMatches } from './seal-entry.js';

/** Options of unseal. */
export interface UnsealOptions {
  /**
   * Honour the lockdown flag written by `hush seal` (for automatic unsealing, e.g. each local CLI process with a
   * key-file seal): when set, refuse with HUSH_E_SEALED instead of unsealing. An explicit unseal (default) clears it.
   */
  readonly respectLockdown?: boolean;
  /**
   * Open the barrier but leave the lockdown flag as it is (a server checking an operator's token before it lifts a
   * lockdown, or unsealing with material while the lockdown is lifted separately).
   */
  readonly keepLockdown?: boolean;
}

/** Build `unseal`: recover the root key through the seal, verify it against the check value, open the barrier. */
export function createUnsealStore(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'seal'>) {
  return async function unsealStore(
    material: UnsealMaterial = {},
    options: UnsealOptions = {},
  ): Promise<void> {
    const stored = await ctx.backend.get(SEAL_KEY);
    if (!stored)
      throw new HushError('HUSH_E_NOT_INITIALIZED', 'the store is not initialised; run `hush init`');
    if (options.respectLockdown && (await ctx.backend.get(SEALED_FLAG_KEY))) {
      throw new HushError(
        'HUSH_E_SEALED',
        'the store was sealed with `hush seal` and stays sealed; run `hush unseal` to open it',
      );
    }
    const root = await recoverRoot(ctx, stored.value, material);
    ctx.barrier.open(root);
    if (!options.respectLockdown && !options.keepLockdown) await ctx.backend.delete(SEALED_FLAG_KEY);
  };
}

/**
 * Build `checkMaterial`: prove `material` recovers this store's current root key (HUSH_E_UNSEAL_FAILED if not),
 * without opening the barrier or touching the lockdown flag; the recovered key is wiped at once. For
 * `generate-root`, where the unseal material is the proof of authority.
 */
export function createCheckMaterial(ctx: Pick<StoreContext, 'backend' | 'seal'>) {
  return async function checkMaterial(material: UnsealMaterial): Promise<void> {
    const stored = await ctx.backend.get(SEAL_KEY);
    if (!stored)
      throw new HushError('HUSH_E_NOT_INITIALIZED', 'the store is not initialised; run `hush init`');
    wipe(await recoverRoot(ctx, stored.value, material));
  };
}

/** The root key `material` recovers through the configured seal, checked against the stored check value. */
async function recoverRoot(
  ctx: Pick<StoreContext, 'seal'>,
  sealRow: Uint8Array,
  material: UnsealMaterial,
): Promise<Buffer> {
  const entry = decodeSealEntry(sealRow);
  const seal = ctx.seal.current;
  if (entry.record.kind !== seal.kind) {
    throw new HushError(
      'HUSH_E_CONFIG',
      `the store was initialised with the ${entry.record.kind} seal but the config names ${seal.kind}; configure the ${entry.record.kind} seal`,
    );
  }
  const root = await seal.unseal(entry.record, material);
  if (!rootCheckMatches(root, entry.check)) {
    wipe(root);
    throw new HushError(
      'HUSH_E_UNSEAL_FAILED',
      'the unseal material recovered a key that does not belong to this store; supply the material printed when this store was initialised or last rotated',
    );
  }
  return root;
}

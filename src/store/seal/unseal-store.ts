import { wipe } from '../../core/crypto/random.js';
import { hushError } from '../../core/errors/index.js';
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
    if (!stored) throw hushError('STORE_NOT_INITIALISED');
    if (options.respectLockdown && (await ctx.backend.get(SEALED_FLAG_KEY))) {
      throw hushError('STORE_SEALED_HUSH_SEAL_STAYS');
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
    if (!stored) throw hushError('STORE_NOT_INITIALISED');
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
    throw hushError('STORE_INITIALISED_SEAL_BUT_CONFIG', { kind: entry.record.kind, kind2: seal.kind });
  }
  const root = await seal.unseal(entry.record, material);
  if (!rootCheckMatches(root, entry.check)) {
    wipe(root);
    throw hushError('UNSEAL_MATERIAL_RECOVERED_KEY_NOT');
  }
  return root;
}

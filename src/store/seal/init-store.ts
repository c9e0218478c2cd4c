import { generateKey, wipe } from '../../core/crypto/random.js';
import { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import type { SealKind } from '../../seal/seal.js';
import type { StoreContext } from '../context.js';
import { SEAL_KEY } from '../storage-keys.js';
import { encodeSealEntry, rootCheckValue } from './seal-entry.js';

/** The outcome of init or rotate-root: one-time material is shown to the operator once and never stored. */
export interface SealMaterialResult {
  readonly sealKind: SealKind;
  readonly oneTime?: { readonly shares?: readonly string[]; readonly threshold?: number };
  /** A warning to show (e.g. the key-file seal's). */
  readonly warning?: string;
}

/** Build `init`: create the root key, seal it, persist the seal record; the store is left unsealed. */
export function createInitStore(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'seal' | 'clock'>) {
  return async function initStore(): Promise<SealMaterialResult> {
    const existing = await ctx.backend.get(SEAL_KEY);
    if (existing) throw alreadyInitialized();
    const seal = ctx.seal.current;
    const root = generateKey();
    try {
      const { record, oneTime } = await seal.init(root);
      const entry = {
        format: 1 as const,
        record,
        check: rootCheckValue(root),
        initializedAt: ctx.clock().toISOString(),
      };
      try {
        await ctx.backend.put(SEAL_KEY, encodeSealEntry(entry), 0);
      } catch (err) {
        if (err instanceof HushError && err.code === 'HUSH_E_CAS_CONFLICT') throw alreadyInitialized();
        throw err;
      }
      ctx.barrier.open(Buffer.from(root));
      return { sealKind: seal.kind, ...(oneTime ? { oneTime } : {}), ...warningOf(seal) };
    } finally {
      wipe(root);
    }
  };
}

/** The seal's warning, when it has one (the key-file seal does). */
export function warningOf(seal: object): { warning?: string } {
  const warning = (seal as { warning?: unknown }).warning;
  return typeof warning === 'string' ? { warning } : {};
}

function alreadyInitialized(): HushError {
  return hushError('STORE_ALREADY_INITIALISED');
}

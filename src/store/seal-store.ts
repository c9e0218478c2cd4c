import { HushError } from '../core/errors/hush-error.js';
import type { StoreContext } from './context.js';
import { SEAL_KEY, SEALED_FLAG_KEY } from './storage-keys.js';

/** Options of seal. */
export interface SealOptions {
  /**
   * Also write the persistent lockdown flag (default true), so that other processes that unseal automatically
   * keep the store sealed until an explicit `hush unseal`. A server shutting down passes false.
   */
  readonly persist?: boolean;
}

/** Build `seal`: wipe the root key and cached keyrings from memory (and, by default, lock the store down). */
export function createSealStore(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'clock'>) {
  return async function sealStore(options: SealOptions = {}): Promise<void> {
    ctx.barrier.close();
    if (options.persist === false) return;
    if (!(await ctx.backend.get(SEAL_KEY))) {
      throw new HushError('HUSH_E_NOT_INITIALIZED', 'the store is not initialised; run `hush init`');
    }
    const flag = Buffer.from(JSON.stringify({ sealedAt: ctx.clock().toISOString() }), 'utf8');
    await ctx.backend.put(SEALED_FLAG_KEY, flag);
  };
}

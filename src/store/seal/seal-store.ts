import { hushError } from '../../core/errors/index.js';
import type { StoreContext } from '../context.js';
import { SEAL_KEY, SEALED_FLAG_KEY } from '../storage-keys.js';

/** Options of seal. */
export interface SealOptions {
  /**
   * Also write the persistent lockdown flag (default true), so that other processes that unseal automatically
   * keep the store sealed until an explicit `hush unseal`. A server shutting down passes false.
   */
  readonly persist?: boolean;
  /**
   * Why (default `seal`): a `lockdown` (incident response) is lifted only by an explicit unlock, while an operator's
   * `seal` of a shamir or rsa store is also lifted by an unseal with the material (the material is the proof).
   */
  readonly reason?: LockReason;
}

/** Why the persistent lockdown flag was set. */
export type LockReason = 'seal' | 'lockdown';

/** Build `seal`: wipe the root key and cached keyrings from memory (and, by default, lock the store down). */
export function createSealStore(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'clock'>) {
  return async function sealStore(options: SealOptions = {}): Promise<void> {
    ctx.barrier.close();
    if (options.persist === false) return;
    if (!(await ctx.backend.get(SEAL_KEY))) {
      throw hushError('STORE_NOT_INITIALISED');
    }
    const flag = Buffer.from(
      JSON.stringify({ sealedAt: ctx.clock().toISOString(), reason: options.reason ?? 'seal' }),
      'utf8',
    );
    await ctx.backend.put(SEALED_FLAG_KEY, flag);
  };
}

/** Build `liftLockdown`: delete the persistent lockdown flag (the caller has checked the operator's authority). */
export function createLiftLockdown(ctx: Pick<StoreContext, 'backend'>) {
  return async function liftLockdown(): Promise<void> {
    await ctx.backend.delete(SEALED_FLAG_KEY);
  };
}

/** Why a stored lockdown flag was set; flags written before reasons existed read as `seal`. */
export function lockReasonOf(flag: Uint8Array): LockReason {
  try {
    const parsed = JSON.parse(Buffer.from(flag).toString('utf8')) as { reason?: unknown };
    return parsed.reason === 'lockdown' ? 'lockdown' : 'seal';
  } catch {
    return 'lockdown'; // unreadable: the stricter reading
  }
}

import type { SealKind } from '../../seal/seal.js';
import type { StoreContext } from '../context.js';
import { SEAL_KEY, SEALED_FLAG_KEY } from '../storage-keys.js';
import { decodeSealEntry } from './seal-entry.js';
import { type LockReason, lockReasonOf } from './seal-store.js';

/** The store's state; nothing secret. */
export interface StoreStatus {
  readonly initialized: boolean;
  /** True when this process holds no root key. */
  readonly sealed: boolean;
  /** True when `hush seal` set the persistent lockdown flag. */
  readonly lockedDown: boolean;
  /** Why, when locked down: an operator's `seal` or an incident `lockdown`. */
  readonly lockReason?: LockReason;
  readonly sealKind?: SealKind;
  readonly backendKind: string;
  readonly initializedAt?: string;
}

/** Build `status`; works sealed or unsealed. */
export function createStoreStatus(ctx: Pick<StoreContext, 'backend' | 'barrier'>) {
  return async function storeStatus(): Promise<StoreStatus> {
    const stored = await ctx.backend.get(SEAL_KEY);
    const entry = stored ? decodeSealEntry(stored.value) : undefined;
    const flag = await ctx.backend.get(SEALED_FLAG_KEY);
    return {
      initialized: entry !== undefined,
      sealed: ctx.barrier.sealed,
      lockedDown: flag !== undefined,
      ...(flag ? { lockReason: lockReasonOf(flag.value) } : {}),
      backendKind: ctx.backend.kind,
      ...(entry ? { sealKind: entry.record.kind, initializedAt: entry.initializedAt } : {}),
    };
  };
}

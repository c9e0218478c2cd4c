import type { StorageBackend } from '../storage/backend.js';
import type { Barrier } from '../store/barrier.js';
import { createTransitKeyService, type TransitKeyService } from './transit-key-service.js';
import { createTransitOpsService, type TransitOpsService } from './transit-ops-service.js';
import { createTransitRecords } from './transit-records.js';

/** The transit engine: key management and operations over sealed key records. */
export interface Transit {
  readonly keys: TransitKeyService;
  readonly ops: TransitOpsService;
}

/**
 * Compose the transit engine over the store's storage and barrier.
 *
 * @example
 * const transit = createTransit(store);
 * await transit.keys.create('payments', { type: 'aes256-gcm96' });
 */
export function createTransit(deps: {
  /** The store's read-cached backend (key records are read on every operation). */
  readonly readBackend: Pick<StorageBackend, 'get' | 'batch' | 'list'>;
  readonly barrier: Pick<Barrier, 'keyring' | 'onClose'>;
  readonly clock?: () => Date;
  readonly maxBatch?: number;
}): Transit {
  const records = createTransitRecords(deps.readBackend, deps.barrier);
  return {
    keys: createTransitKeyService({ records, clock: deps.clock ?? (() => new Date()) }),
    ops: createTransitOpsService({ records, ...(deps.maxBatch ? { maxBatch: deps.maxBatch } : {}) }),
  };
}

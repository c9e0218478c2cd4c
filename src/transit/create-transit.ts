import type { HsmSigner } from '../ports/hsm-signer-port.js';
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
  /** HSM-held signing keys (`keys.hsmTokens`); without it such keys cannot be created or sign. */
  readonly hsm?: HsmSigner;
}): Transit {
  const records = createTransitRecords(deps.readBackend, deps.barrier);
  const hsm = deps.hsm ? { hsm: deps.hsm } : {};
  return {
    keys: createTransitKeyService({ records, clock: deps.clock ?? (() => new Date()), ...hsm }),
    ops: createTransitOpsService({ records, ...(deps.maxBatch ? { maxBatch: deps.maxBatch } : {}), ...hsm }),
  };
}

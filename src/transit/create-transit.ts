import type { HsmSigner } from '../ports/hsm-signer-port.js';
import { openSealedView, type ViewBackend, type ViewBarrier } from '../store/sealed-view/index.js';
import { createTransitKeyService, type TransitKeyService } from './transit-key-service.js';
import { TRANSIT_VIEW } from './transit-key-store.js';
import { createTransitOpsService, type TransitOpsService } from './transit-ops-service.js';

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
  readonly readBackend: ViewBackend;
  readonly barrier: ViewBarrier;
  readonly clock?: () => Date;
  readonly maxBatch?: number;
  /** HSM-held signing keys (`keys.hsmTokens`); without it such keys cannot be created or sign. */
  readonly hsm?: HsmSigner;
}): Transit {
  const records = openSealedView(deps.readBackend, deps.barrier, TRANSIT_VIEW);
  const hsm = deps.hsm ? { hsm: deps.hsm } : {};
  return {
    keys: createTransitKeyService({ records, clock: deps.clock ?? (() => new Date()), ...hsm }),
    ops: createTransitOpsService({ records, ...(deps.maxBatch ? { maxBatch: deps.maxBatch } : {}), ...hsm }),
  };
}

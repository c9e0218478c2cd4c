export { createTransit, type Transit } from './create-transit.js';
export { TRANSIT_ROTATOR_ACTOR, transitAutoRotateJob } from './transit-auto-rotate.js';
export { checkBatchSize, DEFAULT_MAX_BATCH, type ItemResult, runItems } from './transit-batch.js';
export { checkKeyName, keyPolicyPath } from './transit-key-names.js';
export type { CreateKeyInput, ExportedKeyVersion, TransitKeyService } from './transit-key-service.js';
export type { TransitKeyView } from './transit-key-store.js';
export * from './transit-ops-service.js';

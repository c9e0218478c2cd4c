/** Secret rotation: policies, staged versions promoted after hooks, the postgres-role rotator and the scheduler job. */
export * from './due.js';
export * from './hooks.js';
export * from './policy-grants.js';
export * from './policy-schema.js';
export type { RotationOutcome, RotationState, RotationTrigger } from './policy-store.js';
export * from './postgres-role.js';
export type { RotateContext, RotationFailedEvent, RotationResult, RotationStore } from './rotate-secret.js';
export * from './rotation-job.js';
export * from './rotation-service.js';

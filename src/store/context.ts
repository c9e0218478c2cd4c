import type { Seal } from '../seal/seal.js';
import type { StorageBackend } from '../storage/backend.js';
import type { Barrier } from './barrier.js';
import type { SecretIo } from './secrets/secret-io.js';

/** Limits the services enforce. */
export interface StoreLimits {
  /** Largest value in bytes (default 1 MiB). */
  readonly maxValueBytes: number;
  /** Versions kept per secret; older ones are pruned and their data keys deleted (default 20). */
  readonly maxVersions: number;
}

/**
 * Everything the services share. Each service factory takes a narrow `Pick<>` of it, so a service's dependencies
 * are visible in its signature.
 */
export interface StoreContext {
  readonly backend: StorageBackend;
  readonly barrier: Barrier;
  readonly io: SecretIo;
  /** The active seal; a holder because rotate-root may switch to a new seal (e.g. a new key file). */
  readonly seal: { current: Seal };
  readonly clock: () => Date;
  readonly limits: StoreLimits;
}

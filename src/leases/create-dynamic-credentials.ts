import { createEngineService, type EngineService } from '../engines/engine-service.js';
import type { Identity, RevokedDependents } from '../identity/index.js';
import type { OutboundGuard } from '../net/outbound-allow-list.js';
import type { StorageBackend } from '../storage/backend.js';
import { IDENTITY_SUBKEYS, openSealedView, type ViewBarrier } from '../store/sealed-view/index.js';
import { createLeaseService, type LeaseService } from './lease-service.js';
import { type BackoffOptions, DEFAULT_BACKOFF } from './revoke-lease.js';

/** What dynamic credentials are built from (the same backend and barrier identity uses). */
export interface DynamicCredsDeps {
  readonly backend: Pick<StorageBackend, 'get' | 'batch' | 'list'>;
  readonly barrier: ViewBarrier;
  readonly clock?: () => Date;
  /** Retry spacing of failed revocations (default 5 s doubling to 10 min). */
  readonly backoff?: BackoffOptions;
  /**
   * The server's outbound allow-list (engine connection URLs must name a host on it) and the server log (why a
   * connection failed goes there, not to the caller). Absent: unrestricted.
   */
  readonly outbound?: OutboundGuard;
}

/** The composed module: services and the seal hook (the HTTP routes serving them are the server's: `services.creds`). */
export interface DynamicCreds {
  readonly engines: EngineService;
  readonly leases: LeaseService;
  /** Identity's `revokeDependents` hook: revoke the leases of tokens that were just revoked. */
  revokeDependents(accessors: readonly string[]): Promise<RevokedDependents>;
}

/**
 * Compose engines and leases over encrypted records. Records are sealed like identity records (AES-256-GCM under a
 * key derived from the identity keyring, AAD = storage key), under `sys/engines/` and `sys/leases/`.
 *
 * @example
 * const creds = createDynamicCredentials({ backend: store.readBackend, barrier: store.barrier });
 * const services = { creds: { engines: creds.engines, leases: creds.leases } };
 * jobs.push(leaseExpiryJob({ leases: creds.leases }));
 */
export function createDynamicCredentials(deps: DynamicCredsDeps): DynamicCreds {
  const clock = deps.clock ?? (() => new Date());
  const records = openSealedView(deps.backend, deps.barrier, {
    ...IDENTITY_SUBKEYS,
    name: 'engines and leases',
    prefixes: ['sys/engines/', 'sys/leases/'],
    cacheSize: 0,
  });
  const engines = createEngineService({
    records,
    clock,
    ...(deps.outbound ? { outbound: deps.outbound } : {}),
  });
  const leases = createLeaseService({
    records,
    clock,
    backoff: deps.backoff ?? DEFAULT_BACKOFF,
    ...(deps.outbound ? { outbound: deps.outbound } : {}),
  });
  return {
    engines,
    leases,
    async revokeDependents(accessors) {
      const done = await leases.revokeLeasesOfTokens(accessors);
      return { leasesRevoked: done.revoked, leasesQueued: done.queued.map((q) => q.leaseId) };
    },
  };
}

/**
 * The `tokenRevoked` check of credential reads, over the identity module: whether the token with this lookup id
 * was explicitly revoked (its tombstone), read fresh.
 *
 * @example
 * const services = { creds: { engines, leases, tokenRevoked: tokenRevocations(identity) } };
 */
export function tokenRevocations(
  identity: Pick<Identity, 'services'>,
): (lookupId: string) => Promise<boolean> {
  return (lookupId) => identity.services.tokens.wasRevoked(lookupId);
}

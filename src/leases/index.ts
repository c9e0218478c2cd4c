import type { FastifyPluginAsync } from 'fastify';
import { createEngineService, type EngineService } from '../engines/engine-service.js';
import { createIdentityKeys } from '../identity/identity-keys.js';
import type { Identity, RevokedDependents } from '../identity/index.js';
import { createRecordStore } from '../identity/record-store.js';
import type { OutboundAllowList } from '../net/outbound-allow-list.js';
import { credsRoutes } from '../server/routes/creds.js';
import { leaseRoutes } from '../server/routes/leases.js';
import type { ServerAudit, ServerAuth } from '../server/server-deps.js';
import type { StorageBackend } from '../storage/backend.js';
import type { Barrier } from '../store/barrier.js';
import { createLeaseService, type LeaseService } from './lease-service.js';
import { type BackoffOptions, DEFAULT_BACKOFF } from './revoke-lease.js';

export type { IssuedLease, LeaseOwner } from './issue-lease.js';
export { type LeaseExpiryJobDeps, leaseExpiryJob } from './lease-expiry-job.js';
export type { LeaseRecord, LeaseView } from './lease-records.js';
export type { ExpiryPass, LeaseService, RevokeSummary } from './lease-service.js';
export type { BackoffOptions } from './revoke-lease.js';

/** What dynamic credentials are built from (the same backend and barrier identity uses). */
export interface DynamicCredsDeps {
  readonly backend: Pick<StorageBackend, 'get' | 'batch' | 'list'>;
  readonly barrier: Pick<Barrier, 'keyring'>;
  readonly clock?: () => Date;
  /** Retry spacing of failed revocations (default 5 s doubling to 10 min). */
  readonly backoff?: BackoffOptions;
  /** The server's outbound allow-list: engine connection URLs must name a host on it (absent: unrestricted). */
  readonly outbound?: OutboundAllowList;
}

/** The composed module: services, the route plugin factory, and the seal hook. */
export interface DynamicCreds {
  readonly engines: EngineService;
  readonly leases: LeaseService;
  /** Route plugin for `ServerDeps.routes` (`/v1/sys/engines/...`, `/v1/creds/...`, `/v1/leases/...`). */
  routes(deps: {
    readonly auth: Pick<ServerAuth, 'authorize'>;
    readonly audit?: ServerAudit;
    /** Whether a token was revoked, by lookup id, read fresh (closes the race of an issue with its revocation). */
    readonly tokenRevoked?: (lookupId: string) => Promise<boolean>;
  }): FastifyPluginAsync;
  /** Call when the store seals: wipes derived keys and decrypted records held in memory. */
  onSeal(): void;
  /** Identity's `revokeDependents` hook: revoke the leases of tokens that were just revoked. */
  revokeDependents(accessors: readonly string[]): Promise<RevokedDependents>;
}

/**
 * Compose engines and leases over encrypted records. Records are sealed like identity records (AES-256-GCM under a
 * key derived from the identity keyring, AAD = storage key), under `sys/engines/` and `sys/leases/`.
 *
 * @example
 * const creds = createDynamicCredentials({ backend: store.readBackend, barrier: store.barrier });
 * routes.push(creds.routes({ auth, audit: audit.serverAudit }));
 * jobs.push(leaseExpiryJob({ leases: creds.leases }));
 */
export function createDynamicCredentials(deps: DynamicCredsDeps): DynamicCreds {
  const clock = deps.clock ?? (() => new Date());
  const keys = createIdentityKeys(deps.barrier);
  const records = createRecordStore(deps.backend, keys, { cacheSize: 0 });
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
    routes: (r) => async (app) => {
      await app.register(credsRoutes({ engines, leases, ...r }));
      await app.register(leaseRoutes({ leases, ...r }));
    },
    onSeal: () => {
      keys.wipe();
      records.clear();
    },
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
 * routes.push(creds.routes({ auth, audit, tokenRevoked: tokenRevocations(identity) }));
 */
export function tokenRevocations(
  identity: Pick<Identity, 'services'>,
): (lookupId: string) => Promise<boolean> {
  return (lookupId) => identity.services.tokens.wasRevoked(lookupId);
}

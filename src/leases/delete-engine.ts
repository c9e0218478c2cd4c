import { hushError } from '../core/errors/index.js';
import type { EngineService } from '../engines/engine-service.js';
import type { LeaseService } from './lease-service.js';

/** What deleting an engine did. */
export interface DeletedEngine {
  readonly engine: string;
  readonly rolesDeleted: string[];
  readonly leasesRevoked: string[];
}

/**
 * Delete a secrets engine the way Vault unmounts one: revoke every lease it issued first (through its own
 * connection, which is why the engine must still exist), then delete its roles and configuration. The engine is
 * marked first so no credentials are issued from it meanwhile. When a lease cannot be revoked (the database is
 * unreachable) the engine is kept, still marked (configuring it again clears the mark), so the queued revocations
 * can finish, and the call fails with HUSH_E_UPSTREAM saying so; nothing is deleted.
 */
export async function deleteEngine(
  deps: {
    readonly engines: Pick<EngineService, 'get' | 'markDeleting' | 'remove'>;
    readonly leases: Pick<LeaseService, 'revokePrefix'>;
  },
  name: string,
): Promise<DeletedEngine> {
  await deps.engines.get(name); // HUSH_E_NOT_FOUND (with how to create it) before anything is revoked
  // First stop issuing: a lease written after the scan below would otherwise survive with its engine gone.
  // issueLease re-reads the engine after writing its lease and backs out when it sees this mark.
  await deps.engines.markDeleting(name);
  // The trailing slash keeps engine `main` from matching the leases of `main2`.
  const leases = await deps.leases.revokePrefix(`creds/${name}/`);
  if (leases.queued.length > 0) {
    const first = leases.queued[0]!;
    throw hushError('ENGINE_KEPT_LEASES_COULD_NOT', {
      name,
      length: leases.queued.length,
      error: first.error,
    });
  }
  const rolesDeleted = await deps.engines.remove(name);
  return { engine: name, rolesDeleted, leasesRevoked: leases.revoked };
}

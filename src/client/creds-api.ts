import type {
  ConfigureEngineInput,
  DeletedEngine,
  EngineView,
  IssuedLease,
  LeaseView,
  RenewOptions,
  RevokeSummary,
  RoleView,
  SetRoleInput,
} from './api-types.js';
import type { Transport } from './http-transport.js';
import { engineName } from './path-params.js';

const rolePath = (engine: string, role: string) =>
  `/v1/sys/engines/${engineName(engine, 'engine')}/roles/${engineName(role, 'role')}`;

/** `creds`: database engines, their role templates, and short-lived credentials under a lease. */
export function credsApi(call: Transport) {
  return {
    /** Issue new credentials for `engine/role` under a new lease (the password is in this reply only). */
    read: async (engine: string, role: string) =>
      call<IssuedLease>({
        method: 'GET',
        path: `/v1/creds/${engineName(engine, 'engine')}/${engineName(role, 'role')}`,
        fresh: true, // each read issues a new lease: a cached reply would hand out the same credentials twice
      }),
    /** Configure engine `name` (the admin connection URL is accepted, never returned). */
    configureEngine: async (name: string, input: ConfigureEngineInput) =>
      call<EngineView>({ method: 'PUT', path: `/v1/sys/engines/${engineName(name, 'engine')}`, body: input }),
    readEngine: async (name: string) =>
      call<EngineView>({ method: 'GET', path: `/v1/sys/engines/${engineName(name, 'engine')}` }),
    /** Create or replace a role template of `engine`. */
    setRole: async (engine: string, role: string, input: SetRoleInput) =>
      call<RoleView>({ method: 'PUT', path: rolePath(engine, role), body: input }),
    readRole: async (engine: string, role: string) =>
      call<RoleView>({ method: 'GET', path: rolePath(engine, role) }),
    /** Delete a role template; leases issued under it keep the statements they were issued with. */
    deleteRole: async (engine: string, role: string) =>
      call<{ engine: string; role: string; deleted: true }>({
        method: 'DELETE',
        path: rolePath(engine, role),
      }),
    /**
     * Delete engine `name`: its leases are revoked first, then its roles and configuration go. HUSH_E_UPSTREAM (and
     * nothing deleted) when some lease cannot be revoked yet.
     */
    deleteEngine: async (name: string) =>
      call<DeletedEngine>({ method: 'DELETE', path: `/v1/sys/engines/${engineName(name, 'engine')}` }),
  };
}

/** `leases`: list, renew and revoke credential leases. */
export function leasesApi(call: Transport) {
  return {
    /** Live leases (and queued revocations) whose id starts with `prefix` (default `creds/`). */
    list: async (opts: { prefix?: string } = {}) =>
      call<{ leases: LeaseView[] }>({ method: 'GET', path: '/v1/leases', query: { prefix: opts.prefix } }),
    /** Extend a lease, up to its max TTL. */
    renew: async (leaseId: string, opts: RenewOptions = {}) =>
      call<LeaseView>({ method: 'POST', path: '/v1/leases/renew', body: { leaseId, ...opts } }),
    /** Revoke a lease now; `queued` lists what waits for an unreachable database. */
    revoke: async (leaseId: string) =>
      call<RevokeSummary>({ method: 'POST', path: '/v1/leases/revoke', body: { leaseId } }),
    /** Revoke every lease whose id starts with `prefix`, e.g. `creds/main/readonly` (needs sudo). */
    revokePrefix: async (prefix: string) =>
      call<RevokeSummary>({ method: 'POST', path: '/v1/leases/revoke-prefix', body: { prefix } }),
  };
}

import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import {
  type ConfigureEngineInput,
  type EngineService,
  type SetRoleInput,
  UNLISTED_SQL_PATH,
} from '../../../engines/engine-service.js';
import { callerToken } from '../../../identity/server-auth.js';
import { deleteEngine } from '../../../leases/delete-engine.js';
import type { LeaseService } from '../../../leases/lease-service.js';
import { checkerOf, routeAuth } from '../../route-config.js';
import { configureBody, engineParams, roleBody, roleParams } from './creds-schemas.js';

/** What {@link credsRoutes} is built from. */
export interface CredsRouteDeps {
  readonly engines: EngineService;
  readonly leases: Pick<LeaseService, 'issue' | 'revokePrefix'>;
  /** Whether a token was revoked, by lookup id, read fresh (see issueLease); absent, not checked. */
  readonly tokenRevoked?: (lookupId: string) => Promise<boolean>;
}

const tags = ['creds'];

/** The URL params of the engine routes (`:name`, and `:role` on role routes). */
type EngineParams = { readonly name: string; readonly role?: string };

/** Route options: `capability` on a path from the URL params, which is also the audit path. */
function onPath(capability: string, path: (params: EngineParams) => string) {
  return {
    requireUnsealed: true,
    auth: routeAuth.derived(capability, (request: FastifyRequest<{ Params: EngineParams }>) => {
      const target = path(request.params);
      request.auditPath = target;
      return target;
    }),
  } as const;
}

/** Route options of a route that checks several capabilities in turn (with `check`). */
function perItem(...capabilities: string[]) {
  return { requireUnsealed: true, auth: routeAuth.perItem(...capabilities) } as const;
}

/** The owner recorded on a lease: the caller's identity and token accessor. */
export function ownerOf(request: FastifyRequest): { identity: string; tokenAccessor: string } {
  const token = callerToken(request.caller);
  const id = request.caller?.id ?? 'unknown';
  return token
    ? { identity: token.identity, tokenAccessor: token.accessor }
    : { identity: id, tokenAccessor: id };
}

/**
 * Engine configuration (`update`/`read`/`delete` on `sys/engines/<name>` and `sys/engines/<name>/roles/<role>`) and
 * credential reads (`read` on `creds/<name>/<role>`). The connection URL is accepted, never returned, logged or
 * audited.
 */
export function credsRoutes(deps: CredsRouteDeps): FastifyPluginAsync {
  const { engines } = deps;
  // Routes that need more than one capability (or one that depends on the body) check each in turn.
  const check = async (request: FastifyRequest, path: string, capability: string) => {
    request.auditPath = path;
    await checkerOf(request).require(path, capability);
  };
  return async (app) => {
    app.put<{ Params: { name: string }; Body: ConfigureEngineInput }>(
      '/v1/sys/engines/:name',
      {
        schema: {
          summary: 'Configure a secrets engine (admin connection)',
          tags,
          params: engineParams,
          body: configureBody,
          response: undeclaredResponse,
        },
        config: { ...onPath('update', (p) => `sys/engines/${p.name}`), operation: 'creds.engine.write' },
      },
      async (request) => {
        return engines.configure(request.params.name, request.body);
      },
    );

    app.get<{ Params: { name: string } }>(
      '/v1/sys/engines/:name',
      {
        schema: {
          summary: 'Describe a secrets engine (never its connection secret)',
          tags,
          params: engineParams,
          response: undeclaredResponse,
        },
        config: { ...onPath('read', (p) => `sys/engines/${p.name}`), operation: 'creds.engine.read' },
      },
      async (request) => {
        return engines.get(request.params.name);
      },
    );

    app.delete<{ Params: { name: string } }>(
      '/v1/sys/engines/:name',
      {
        schema: {
          summary: 'Delete a secrets engine: revoke its leases, then delete its roles and configuration',
          tags,
          params: engineParams,
          response: undeclaredResponse,
        },
        config: { ...perItem('sudo', 'delete'), operation: 'creds.engine.delete' },
      },
      async (request) => {
        const name = request.params.name;
        // Deleting revokes every lease of the engine: that takes what `hush lease revoke --prefix` takes too.
        await check(request, `sys/leases/creds/${name}/`, 'sudo');
        await check(request, `sys/engines/${name}`, 'delete');
        const deleted = await deleteEngine(deps, name);
        request.auditDetails = {
          rolesDeleted: deleted.rolesDeleted.length,
          leasesRevoked: deleted.leasesRevoked.length,
        };
        return deleted;
      },
    );

    app.put<{ Params: { name: string; role: string }; Body: SetRoleInput }>(
      '/v1/sys/engines/:name/roles/:role',
      {
        schema: {
          summary: 'Create or replace a role template',
          tags,
          params: roleParams,
          body: roleBody,
          response: undeclaredResponse,
        },
        config: { ...perItem('update', 'sudo'), operation: 'creds.role.write' },
      },
      async (request) => {
        const { name, role } = request.params;
        await check(request, `sys/engines/${name}/roles/${role}`, 'update');
        // Its statements run as the engine's admin connection: writing them takes sudo on the engine itself, as
        // command hooks take admin; skipping the statement allow-list takes admin on a path outside sys/engines/.
        await check(request, `sys/engines/${name}`, 'sudo');
        if (request.body.allowUnlistedStatements === true) await check(request, UNLISTED_SQL_PATH, 'sudo');
        request.auditPath = `sys/engines/${name}/roles/${role}`;
        return engines.setRole(name, role, request.body);
      },
    );

    app.get<{ Params: { name: string; role: string } }>(
      '/v1/sys/engines/:name/roles/:role',
      {
        schema: { summary: 'Read a role template', tags, params: roleParams, response: undeclaredResponse },
        config: {
          ...onPath('read', (p) => `sys/engines/${p.name}/roles/${p.role}`),
          operation: 'creds.role.read',
        },
      },
      async (request) => {
        const { name, role } = request.params;
        return engines.getRole(name, role);
      },
    );

    app.delete<{ Params: { name: string; role: string } }>(
      '/v1/sys/engines/:name/roles/:role',
      {
        schema: {
          summary: 'Delete a role template (its leases keep the statements they were issued with)',
          tags,
          params: roleParams,
          response: undeclaredResponse,
        },
        config: {
          ...onPath('delete', (p) => `sys/engines/${p.name}/roles/${p.role}`),
          operation: 'creds.role.delete',
        },
      },
      async (request) => {
        const { name, role } = request.params;
        await deps.engines.deleteRole(name, role);
        return { engine: name, role, deleted: true };
      },
    );

    app.get<{ Params: { name: string; role: string } }>(
      '/v1/creds/:name/:role',
      {
        schema: {
          summary: 'Issue database credentials under a new lease',
          tags,
          params: roleParams,
          response: undeclaredResponse,
        },
        // A GET, but it creates a database user and a lease: recorded before it runs, like a write.
        config: {
          ...onPath('read', (p) => `creds/${p.name}/${p.role}`),
          operation: 'creds.read',
          changesState: true,
        },
      },
      async (request) => {
        const { name, role } = request.params;
        const token = callerToken(request.caller);
        const revoked = deps.tokenRevoked;
        const live = revoked && token ? async () => !(await revoked(token.lookupId)) : undefined;
        const issued = await deps.leases.issue(name, role, ownerOf(request), live);
        request.auditDetails = { leaseId: issued.leaseId, ttl: issued.ttl };
        return issued;
      },
    );
  };
}

import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import { hushError } from '../../../core/errors/index.js';
import { parseDuration } from '../../../identity/duration.js';
import { callerToken } from '../../../identity/server-auth.js';
import { checkLeaseId, checkLeasePrefix, type LeaseRecord } from '../../../leases/lease-records.js';
import type { LeaseService } from '../../../leases/lease-service.js';
import { checkerOf, routeAuth } from '../../route-config.js';
import { leaseIdBody, listQuery, prefixBody, renewLeaseBody } from '../creds/creds-schemas.js';

/** What {@link leaseRoutes} is built from. */
export interface LeaseRouteDeps {
  readonly leases: LeaseService;
}

const tags = ['leases'];

/** The owner of a lease may renew and revoke it; anyone else needs `update` on it (checked per lease). */
const ownLease = { requireUnsealed: true, auth: routeAuth.perItem('update') } as const;

/**
 * Lease endpoints. The token that read a credential may renew and revoke its own lease; anyone else needs `update`
 * on `sys/leases/<leaseId>`. Revoking by prefix needs `sudo` (policy `admin`) on `sys/leases/<prefix>`, listing
 * `list` on it. Unknown and foreign leases answer alike to callers without the capability (no existence oracle).
 */
export function leaseRoutes(deps: LeaseRouteDeps): FastifyPluginAsync {
  const { leases } = deps;

  /** The lease, once the caller is its owner or holds `update` on it. */
  async function ownedOrAuthorized(request: FastifyRequest, leaseId: string): Promise<LeaseRecord> {
    checkLeaseId(leaseId);
    request.auditPath = `sys/leases/${leaseId}`;
    const lease = await leases.find(leaseId);
    const accessor = callerToken(request.caller)?.accessor ?? request.caller?.id;
    if (!lease || lease.owner.tokenAccessor !== accessor)
      await checkerOf(request).require(`sys/leases/${leaseId}`, 'update');
    if (!lease) throw hushError('NO_LEASE_HUSH_LEASE_LIST', { leaseId });
    return lease;
  }

  return async (app) => {
    app.post<{ Body: { leaseId: string; increment?: string } }>(
      '/v1/leases/renew',
      {
        schema: {
          summary: 'Renew a lease (capped at its max TTL)',
          tags,
          body: renewLeaseBody,
          response: undeclaredResponse,
        },
        config: { ...ownLease, operation: 'leases.renew' },
      },
      async (request) => {
        const { leaseId, increment } = request.body;
        await ownedOrAuthorized(request, leaseId);
        return leases.renew(leaseId, increment ? parseDuration(increment, 'increment') : undefined);
      },
    );

    app.post<{ Body: { leaseId: string } }>(
      '/v1/leases/revoke',
      {
        schema: {
          summary: 'Revoke a lease (queued if the database is unreachable)',
          tags,
          body: leaseIdBody,
          response: undeclaredResponse,
        },
        config: { ...ownLease, operation: 'leases.revoke' },
      },
      async (request) => {
        await ownedOrAuthorized(request, request.body.leaseId);
        const result = await leases.revoke(request.body.leaseId);
        request.auditDetails = { revoked: result.revoked.length, queued: result.queued.length };
        return result;
      },
    );

    app.post<{ Body: { prefix: string } }>(
      '/v1/leases/revoke-prefix',
      {
        schema: {
          summary: 'Revoke every lease below a prefix',
          tags,
          body: prefixBody,
          response: undeclaredResponse,
        },
        config: {
          requireUnsealed: true,
          operation: 'leases.revoke-prefix',
          auth: routeAuth.derived('sudo', (r: FastifyRequest<{ Body: { prefix: string } }>) => {
            r.auditPath = `sys/leases/${checkLeasePrefix(r.body.prefix)}`;
            return r.auditPath;
          }),
        },
      },
      async (request) => {
        const prefix = checkLeasePrefix(request.body.prefix);
        const result = await leases.revokePrefix(prefix);
        request.auditDetails = { revoked: result.revoked.length, queued: result.queued.length };
        return result;
      },
    );

    app.get<{ Querystring: { prefix?: string } }>(
      '/v1/leases',
      {
        schema: {
          summary: 'List leases below a prefix (default creds/)',
          tags,
          querystring: listQuery,
          response: undeclaredResponse,
        },
        config: {
          requireUnsealed: true,
          operation: 'leases.list',
          auth: routeAuth.derived('list', (r: FastifyRequest<{ Querystring: { prefix?: string } }>) => {
            r.auditPath = `sys/leases/${checkLeasePrefix(r.query.prefix || 'creds/')}`;
            return r.auditPath.replace(/\/$/, '');
          }),
        },
      },
      async (request) => {
        const prefix = checkLeasePrefix(request.query.prefix || 'creds/');
        return { leases: await leases.list(prefix) };
      },
    );
  };
}

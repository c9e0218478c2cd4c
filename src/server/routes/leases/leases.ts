import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { hushError } from '../../../core/errors/index.js';
import { parseDuration } from '../../../identity/duration.js';
import { callerToken } from '../../../identity/server-auth.js';
import { checkLeaseId, checkLeasePrefix, type LeaseRecord } from '../../../leases/lease-records.js';
import type { LeaseService } from '../../../leases/lease-service.js';
import type { ServerAudit, ServerAuth } from '../../server-deps.js';
import { AUTHED, authorizeDynamic } from '../auth-helpers.js';
import { leaseIdBody, listQuery, prefixBody, renewLeaseBody } from '../creds/creds-schemas.js';

/** What {@link leaseRoutes} is built from. */
export interface LeaseRouteDeps {
  readonly leases: LeaseService;
  readonly auth: Pick<ServerAuth, 'authorize'>;
  readonly audit?: ServerAudit;
}

const tags = ['leases'];

/**
 * Lease endpoints. The token that read a credential may renew and revoke its own lease; anyone else needs `update`
 * on `sys/leases/<leaseId>`. Revoking by prefix needs `sudo` (policy `admin`) on `sys/leases/<prefix>`, listing
 * `list` on it. Unknown and foreign leases answer alike to callers without the capability (no existence oracle).
 */
export function leaseRoutes(deps: LeaseRouteDeps): FastifyPluginAsync {
  const { leases } = deps;
  const check = (request: FastifyRequest, path: string, capability: string) =>
    authorizeDynamic(
      { auth: deps.auth as ServerAuth, ...(deps.audit ? { audit: deps.audit } : {}) },
      request,
      path,
      capability,
    );

  /** The lease, once the caller is its owner or holds `update` on it. */
  async function ownedOrAuthorized(request: FastifyRequest, leaseId: string): Promise<LeaseRecord> {
    checkLeaseId(leaseId);
    request.auditPath = `sys/leases/${leaseId}`;
    const lease = await leases.find(leaseId);
    const accessor = callerToken(request.caller)?.accessor ?? request.caller?.id;
    if (!lease || lease.owner.tokenAccessor !== accessor)
      await check(request, `sys/leases/${leaseId}`, 'update');
    if (!lease) throw hushError('NO_LEASE_HUSH_LEASE_LIST', { leaseId });
    return lease;
  }

  return async (app) => {
    app.post<{ Body: { leaseId: string; increment?: string } }>(
      '/v1/leases/renew',
      {
        schema: { summary: 'Renew a lease (capped at its max TTL)', tags, body: renewLeaseBody },
        config: { ...AUTHED, operation: 'leases.renew' },
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
        },
        config: { ...AUTHED, operation: 'leases.revoke' },
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
        schema: { summary: 'Revoke every lease below a prefix', tags, body: prefixBody },
        config: { ...AUTHED, operation: 'leases.revoke-prefix' },
      },
      async (request) => {
        const prefix = checkLeasePrefix(request.body.prefix);
        request.auditPath = `sys/leases/${prefix}`;
        await check(request, `sys/leases/${prefix}`, 'sudo');
        const result = await leases.revokePrefix(prefix);
        request.auditDetails = { revoked: result.revoked.length, queued: result.queued.length };
        return result;
      },
    );

    app.get<{ Querystring: { prefix?: string } }>(
      '/v1/leases',
      {
        schema: { summary: 'List leases below a prefix (default creds/)', tags, querystring: listQuery },
        config: { ...AUTHED, operation: 'leases.list' },
      },
      async (request) => {
        const prefix = checkLeasePrefix(request.query.prefix || 'creds/');
        request.auditPath = `sys/leases/${prefix}`;
        await check(request, `sys/leases/${prefix}`.replace(/\/$/, ''), 'list');
        return { leases: await leases.list(prefix) };
      },
    );
  };
}

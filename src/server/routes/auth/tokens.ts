import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type BodyOf, type RouteTypes, routeSchema } from '../../../api/contract.js';
import { tokenApi } from '../../../api/tokens.js';
import { isHushError } from '../../../core/errors/hush-error.js';
import { parseDuration } from '../../../identity/duration.js';
import type { IdentityServices } from '../../../identity/index.js';
import { revokeWithDependents as revokeTokenDependents } from '../../../identity/revoke-with-dependents.js';
import { viewToken } from '../../../identity/token-records.js';
import { AUTHED, authorized, requestToken } from '../auth-helpers.js';

/** What a token creation asks for (also what the Vault-compatible `auth/token/create` is translated into). */
export type CreateBody = BodyOf<typeof tokenApi.create>;

/** Revoke what the revoked tokens obtained (identity's rule); a failure is noted on the audit record and logged. */
async function revokeWithDependents(
  services: IdentityServices,
  request: FastifyRequest,
  revoked: string[],
  owners: readonly string[] = revoked,
) {
  const { revocation, failure } = await revokeTokenDependents(services.revokeDependents, revoked, owners);
  if (failure) {
    // The request is answered 200, so the audit record and the log must carry the failure themselves.
    request.auditDetails = { leasesError: failure.code };
    request.log.warn({ code: failure.code }, 'lease revocation after token revoke failed');
  }
  return revocation;
}

/** Create a child of the caller's token (`POST /v1/auth/token/create` and the Vault-compatible route). */
export function createChildToken(services: IdentityServices, request: FastifyRequest, b: CreateBody) {
  return services.tokens.create(
    {
      ...(b.policies ? { policies: b.policies } : {}),
      ...(b.ttl ? { ttlMs: parseDuration(b.ttl, 'ttl') } : {}),
      ...(b.maxTtl ? { maxTtlMs: parseDuration(b.maxTtl, 'maxTtl') } : {}),
      ...(b.numUses ? { numUses: b.numUses } : {}),
      ...(b.renewable === undefined ? {} : { renewable: b.renewable }),
      ...(b.displayName ? { displayName: b.displayName } : {}),
      ...(b.metadata ? { metadata: b.metadata } : {}),
    },
    requestToken(request),
  );
}

/** Renew the caller's own token, by `increment` (a duration) or its default. */
export function renewCallerToken(services: IdentityServices, request: FastifyRequest, increment?: string) {
  return services.tokens.renew(
    { accessor: requestToken(request).accessor },
    increment ? parseDuration(increment, 'increment') : undefined,
  );
}

/** Revoke the caller's own token, its children and what they obtained (`revoke-self`, native and Vault). */
export async function revokeCallerToken(services: IdentityServices, request: FastifyRequest) {
  // A one-use token was already revoked by the guard's use of it: nothing left to revoke is success.
  const accessor = requestToken(request).accessor;
  const revoked = await services.tokens.revoke({ accessor }).catch((err: unknown) => {
    if (isHushError(err, 'HUSH_E_NOT_FOUND')) return [];
    throw err;
  });
  // The token's own leases go either way (a one-use token was already revoked by this very use).
  return revokeWithDependents(services, request, revoked, revoked.length > 0 ? revoked : [accessor]);
}

/**
 * Token endpoints. Any valid token may create children (subset of its policies, within its lifetime) and manage
 * itself; acting on other tokens by accessor needs a capability on `auth/token/<operation>`.
 */
export function tokenRoutes(services: IdentityServices): FastifyPluginAsync {
  const { tokens } = services;
  const now = () => services.clock().getTime();
  return async (app) => {
    const api = tokenApi;
    app.post<RouteTypes<typeof api.create>>(
      api.create.path,
      { schema: routeSchema(api.create), config: AUTHED },
      async (request) => {
        const created = await createChildToken(services, request, request.body ?? {});
        return { token: created.token, auth: created.view };
      },
    );

    app.get<RouteTypes<typeof api.lookupSelf>>(
      api.lookupSelf.path,
      { schema: routeSchema(api.lookupSelf), config: AUTHED },
      // The guard's record already counts this request's use, so it is shown as is (even if that was the last).
      async (request) => viewToken(requestToken(request), now()),
    );

    app.post<RouteTypes<typeof api.lookup>>(
      api.lookup.path,
      { schema: routeSchema(api.lookup), config: authorized('auth/token/lookup', 'read') },
      async (request) => tokens.lookup({ accessor: request.body.accessor }),
    );

    app.post<RouteTypes<typeof api.renewSelf>>(
      api.renewSelf.path,
      { schema: routeSchema(api.renewSelf), config: AUTHED },
      async (request) => renewCallerToken(services, request, request.body?.increment),
    );

    app.post<RouteTypes<typeof api.renew>>(
      api.renew.path,
      { schema: routeSchema(api.renew), config: authorized('auth/token/renew', 'update') },
      async (request) => {
        const inc = request.body.increment;
        return tokens.renew(
          { accessor: request.body.accessor },
          inc ? parseDuration(inc, 'increment') : undefined,
        );
      },
    );

    app.post<RouteTypes<typeof api.revokeSelf>>(
      api.revokeSelf.path,
      { schema: routeSchema(api.revokeSelf), config: AUTHED },
      async (request) => revokeCallerToken(services, request),
    );

    app.post<RouteTypes<typeof api.revokeAccessor>>(
      api.revokeAccessor.path,
      { schema: routeSchema(api.revokeAccessor), config: authorized('auth/token/revoke-accessor', 'update') },
      async (request) =>
        revokeWithDependents(services, request, await tokens.revoke({ accessor: request.body.accessor })),
    );
  };
}

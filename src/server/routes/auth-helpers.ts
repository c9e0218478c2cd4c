import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import type { IdentityServices, StoredToken } from '../../identity/index.js';
import { callerToken } from '../../identity/server-auth.js';
import type {} from '../plugins/audit.js';
import { noteDenial } from '../plugins/auth-guard.js';
import { checkerOf, routeAuth } from '../route-config.js';
import { nameParams } from './auth/auth-schemas.js';

/** Route options of every identity route that needs a token (and authorises nothing more) and an unsealed store. */
export const AUTHED = { requireUnsealed: true, auth: routeAuth.token } as const;

/** Route options with a fixed policy path and capability checked by the auth guard. */
export function authorized(path: string, capability: string) {
  return { requireUnsealed: true, auth: routeAuth.fixed(path, capability) } as const;
}

/**
 * A silent `read` check for a listing that names stored paths (`routeAuth.fixed(path, cap, 'read')`): a path the
 * caller may not read is left out of the reply, not refused. One verdict per path per request.
 */
export function readableBy(request: FastifyRequest): (path: string) => Promise<boolean> {
  const seen = new Map<string, Promise<boolean>>();
  return (path) => {
    let verdict = seen.get(path);
    if (!verdict) {
      verdict = checkerOf(request).mayUseFreely(path, 'read');
      seen.set(path, verdict);
    }
    return verdict;
  };
}

/** Route options with `capability` on a path derived from the request (see routeAuth.derived). */
export function derived<R extends FastifyRequest>(capability: string, path: (request: R) => string) {
  return { requireUnsealed: true, auth: routeAuth.derived(capability, path) } as const;
}

/**
 * Like {@link derived}, for a route whose policy path is also its audit path: noted on the request when computed, so
 * a denial's record names it too (what a route that set `request.auditPath` before checking in its handler did).
 */
export function onAuditedPath<R extends FastifyRequest>(capability: string, path: (request: R) => string) {
  return derived(capability, (request: R) => {
    request.auditPath = path(request);
    return request.auditPath;
  });
}

/** The caller's stored token (set by the auth guard through the identity ServerAuth). */
export function requestToken(request: FastifyRequest): StoredToken {
  const token = callerToken(request.caller);
  if (!token) throw hushError('ENDPOINT_NEEDS_HUSH_TOKEN');
  return token;
}

/** Run a login: failures are audited, and a rate-limited refusal gets a `Retry-After` header (seconds). */
export async function runLogin<T>(
  services: Pick<IdentityServices, 'audit'>,
  request: FastifyRequest,
  reply: FastifyReply,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const retry = isHushError(err, 'HUSH_E_RATE_LIMITED') ? err.details?.['retryAfterSeconds'] : undefined;
    if (typeof retry === 'number') reply.header('retry-after', String(retry));
    await noteDenial(services.audit, request, err, request.caller?.id);
    throw err;
  }
}

/** A request to a `/:name` route. */
export type NameRequest = FastifyRequest<{ Params: { name: string } }>;

/** Milliseconds to whole seconds for replies. */
export const seconds = (ms: number): number => Math.floor(ms / 1000);

/** What {@link roleListAndDeleteRoutes} needs of one login method's roles. */
export interface LoginRoleRoutes {
  /** The method's path segment: `approle` or `jwt`. */
  readonly method: string;
  /** Summaries for the OpenAPI document. */
  readonly listSummary: string;
  readonly deleteSummary: string;
  readonly listRoles: () => Promise<readonly { readonly name: string }[]>;
  readonly deleteRole: (name: string) => Promise<void>;
}

/**
 * `GET /v1/auth/<method>/role` (role names, `list` on `auth/<method>/role`) and `DELETE /v1/auth/<method>/role/:name`
 * (`admin` on the role): the same two routes for every login method.
 */
export function roleListAndDeleteRoutes(app: FastifyInstance, roles: LoginRoleRoutes): void {
  const base = `auth/${roles.method}/role`;
  app.get(
    `/v1/${base}`,
    {
      schema: {
        summary: roles.listSummary,
        tags: ['auth'],
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            properties: { roles: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
      config: authorized(base, 'list'),
    },
    async () => {
      return { roles: (await roles.listRoles()).map((r) => r.name).sort() };
    },
  );
  app.delete<{ Params: { name: string } }>(
    `/v1/${base}/:name`,
    {
      schema: {
        summary: roles.deleteSummary,
        tags: ['auth'],
        params: nameParams,
        response: { 204: { type: 'null' } },
      },
      config: derived('admin', (r: NameRequest) => `${base}/${r.params.name}`),
    },
    async (request, reply) => {
      const { name } = request.params;
      await roles.deleteRole(name);
      return reply.code(204).send();
    },
  );
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import type { IdentityServices, StoredToken } from '../../identity/index.js';
import { callerToken } from '../../identity/server-auth.js';
import { routeOf } from '../route-config.js';
import { nameParams } from './auth/auth-schemas.js';

/** Route options of every identity route that needs a token and an unsealed store. */
export const AUTHED = { requireUnsealed: true, auth: true } as const;

/** Route options with a fixed policy path and capability checked by the auth guard. */
export function authorized(path: string, capability: string) {
  return { requireUnsealed: true, auth: { authorize: { path, capability } } } as const;
}

/** The caller's stored token (set by the auth guard through the identity ServerAuth). */
export function requestToken(request: FastifyRequest): StoredToken {
  const token = callerToken(request.caller);
  if (!token) throw hushError('ENDPOINT_NEEDS_HUSH_TOKEN');
  return token;
}

const DENIALS = ['HUSH_E_UNAUTHENTICATED', 'HUSH_E_FORBIDDEN', 'HUSH_E_RATE_LIMITED'];

/**
 * Record a denial decided inside a route, as the auth guard does for its own: before the error goes out, and a
 * failing audit sink turns the reply into HUSH_E_AUDIT_UNAVAILABLE.
 */
async function auditDenial(services: Pick<IdentityServices, 'audit'>, request: FastifyRequest, err: unknown) {
  if (!services.audit || !isHushError(err) || !DENIALS.includes(err.code)) return;
  try {
    await services.audit.recordDenial(request, {
      requestId: request.id,
      method: request.method,
      route: routeOf(request).url ?? '(unmatched)',
      code: err.code,
      ...(request.caller ? { callerId: request.caller.id } : {}),
    });
  } catch {
    throw hushError('AUDIT_TRAIL_COULD_NOT_RECORD');
  }
}

/** Check a capability on a path that depends on the request (e.g. `sys/policies/<name>`); denials are audited. */
export async function authorizeDynamic(
  services: Pick<IdentityServices, 'auth' | 'audit'>,
  request: FastifyRequest,
  path: string,
  capability: string,
): Promise<void> {
  try {
    if (!request.caller) throw hushError('ENDPOINT_NEEDS_HUSH_TOKEN');
    await services.auth.authorize(request.caller, path, capability);
  } catch (err) {
    await auditDenial(services, request, err);
    throw err;
  }
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
    await auditDenial(services, request, err);
    throw err;
  }
}

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
export function roleListAndDeleteRoutes(
  app: FastifyInstance,
  services: IdentityServices,
  roles: LoginRoleRoutes,
): void {
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
      config: AUTHED,
    },
    async (request) => {
      await authorizeDynamic(services, request, base, 'list');
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
      config: AUTHED,
    },
    async (request, reply) => {
      const { name } = request.params;
      await authorizeDynamic(services, request, `${base}/${name}`, 'admin');
      await roles.deleteRole(name);
      return reply.code(204).send();
    },
  );
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { HushError, isHushError } from '../../core/errors/hush-error.js';
import type { IdentityServices, StoredToken } from '../../identity/index.js';
import { callerToken } from '../../identity/server-auth.js';

/** Route options of every identity route that needs a token and an unsealed store. */
export const AUTHED = { requireUnsealed: true, auth: true } as const;

/** Route options with a fixed policy path and capability checked by the auth guard. */
export function authorized(path: string, capability: string) {
  return { requireUnsealed: true, auth: { authorize: { path, capability } } } as const;
}

/** The caller's stored token (set by the auth guard through the identity ServerAuth). */
export function requestToken(request: FastifyRequest): StoredToken {
  const token = callerToken(request.caller);
  if (!token)
    throw new HushError('HUSH_E_UNAUTHENTICATED', 'this endpoint needs a Hush token; send X-Hush-Token');
  return token;
}

/** Check a capability on a path that depends on the request (e.g. `sys/policies/<name>`). */
export async function authorizeDynamic(
  services: Pick<IdentityServices, 'auth'>,
  request: FastifyRequest,
  path: string,
  capability: string,
): Promise<void> {
  if (!request.caller) throw new HushError('HUSH_E_UNAUTHENTICATED', 'this endpoint needs a Hush token');
  await services.auth.authorize(request.caller, path, capability);
}

/** Run a login; a rate-limited refusal also gets a `Retry-After` header (seconds). */
export async function withRetryAfter<T>(reply: FastifyReply, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const retry = isHushError(err, 'HUSH_E_RATE_LIMITED') ? err.details?.['retryAfterSeconds'] : undefined;
    if (typeof retry === 'number') reply.header('retry-after', String(retry));
    throw err;
  }
}

/** Milliseconds to whole seconds for replies. */
export const seconds = (ms: number): number => Math.floor(ms / 1000);

import type { FastifyReply, FastifyRequest } from 'fastify';

/** The httpOnly cookie naming the session (the browser's script never reads it). */
export const SESSION_COOKIE = 'hush_session';
/** The readable cookie holding the CSRF value the console echoes in `x-hush-csrf` (double submit). */
export const CSRF_COOKIE = 'hush_csrf';
/** The short-lived cookie binding an OIDC login's `state` to the browser that started it. */
export const OIDC_COOKIE = 'hush_oidc';
export const CSRF_HEADER = 'x-hush-csrf';

/** One cookie of the request by name (the first, if the browser sent it twice), or undefined. */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether the request arrived over TLS (then every console cookie is Secure). */
export const overTls = (request: FastifyRequest): boolean => request.protocol === 'https';

export interface CookieOptions {
  readonly maxAgeSeconds: number;
  readonly httpOnly: boolean;
  /** Strict for the session; Lax only for the OIDC state, which must survive the provider's redirect back. */
  readonly sameSite: 'Strict' | 'Lax';
  readonly path?: string;
}

/** Append a Set-Cookie (values here are base64url, so they need no quoting). */
export function setCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  options: CookieOptions,
): void {
  const parts = [
    `${name}=${value}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    `SameSite=${options.sameSite}`,
  ];
  if (options.httpOnly) parts.push('HttpOnly');
  if (overTls(request)) parts.push('Secure');
  // Fastify appends to set-cookie rather than replacing it: re-sending the earlier ones would repeat them.
  reply.header('set-cookie', parts.join('; '));
}

/** Expire a cookie now. */
export function clearCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  httpOnly: boolean,
  path = '/',
): void {
  setCookie(request, reply, name, '', { maxAgeSeconds: 0, httpOnly, sameSite: 'Strict', path });
}

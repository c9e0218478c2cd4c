import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { hushError, isHushError } from '../../core/errors/index.js';
import type { IdentityServices } from '../../identity/index.js';
import { callerToken } from '../../identity/server-auth.js';
import { routeAuth } from '../route-config.js';
import { CSRF_COOKIE, clearCookie, cookieOf, SESSION_COOKIE, setCookie } from './console-cookies.js';
import type { ConsoleSessions } from './console-sessions.js';

const tags = ['console'];

const sessionReply = {
  type: 'object',
  additionalProperties: false,
  required: ['identity', 'expiresAt'],
  properties: {
    identity: { type: 'string' },
    policies: { type: 'array', items: { type: 'string' } },
    expiresAt: { type: 'string', description: 'when the session ends (the token expiry, at most 12 hours)' },
  },
} as const;

/** Open a session for `token` and set its two cookies; what the login reply shows. */
export function openSession(
  sessions: ConsoleSessions,
  request: FastifyRequest,
  reply: FastifyReply,
  opened: { token: string; expiresAt: number | null; revokeOnLogout: boolean },
): { expiresAt: string } {
  const { id, session } = sessions.open(opened.token, opened.expiresAt, opened.revokeOnLogout);
  const maxAgeSeconds = (session.expiresAt - Date.now()) / 1000;
  setCookie(request, reply, SESSION_COOKIE, id, { maxAgeSeconds, httpOnly: true, sameSite: 'Strict' });
  // Readable by the console's script (that is the point: it echoes it in x-hush-csrf); useless to another site.
  setCookie(request, reply, CSRF_COOKIE, session.csrf, {
    maxAgeSeconds,
    httpOnly: false,
    sameSite: 'Strict',
  });
  return { expiresAt: new Date(session.expiresAt).toISOString() };
}

/**
 * `POST /v1/console/session`: exchange the token presented in X-Hush-Token (typed into the login page, or just
 * returned to it by `POST /v1/auth/approle/login`) for a session cookie; the token is then held by the server only.
 * `DELETE /v1/console/session`: log out (the session ends; a token minted for it is revoked).
 */
export function consoleSessionRoutes(
  sessions: ConsoleSessions,
  identity: IdentityServices,
): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { revokeOnLogout?: boolean } | undefined }>(
      '/v1/console/session',
      {
        schema: {
          summary: 'Open a console session (cookie) for the presented token',
          tags,
          body: {
            type: ['object', 'null'],
            additionalProperties: false,
            properties: {
              revokeOnLogout: { type: 'boolean', description: 'the token was minted for this session' },
            },
          },
          response: { 200: sessionReply },
        },
        config: { requireUnsealed: true, auth: routeAuth.token },
      },
      async (request, reply) => {
        if (request.consoleSession) throw hushError('CONSOLE_SESSION_NEEDS_HEADER_TOKEN');
        const stored = callerToken(request.caller);
        const token = request.headers['x-hush-token'];
        if (!stored || typeof token !== 'string') throw hushError('CONSOLE_SESSION_NEEDS_HEADER_TOKEN');
        const opened = openSession(sessions, request, reply, {
          token,
          expiresAt: stored.expiresAt,
          revokeOnLogout: request.body?.revokeOnLogout === true,
        });
        return {
          identity: request.caller?.id ?? stored.displayName,
          policies: [...stored.policies],
          ...opened,
        };
      },
    );

    app.get(
      '/v1/console/session',
      {
        schema: {
          summary:
            'Whether the request carries a live console session (the shell asks before showing its login)',
          tags,
          response: {
            200: { type: 'object', additionalProperties: false, properties: { active: { type: 'boolean' } } },
          },
        },
        // Says only yes or no about the browser's own cookie, so a logged-out shell need not provoke a 401.
        config: { auth: routeAuth.public },
      },
      async (request) => ({
        active: request.consoleSession !== null && request.consoleSession !== undefined,
      }),
    );

    app.delete(
      '/v1/console/session',
      {
        schema: {
          summary: 'Log out of the console (ends the session)',
          tags,
          response: { 204: { type: 'null' } },
        },
        // The cookie is the credential being given up; an expired token must still be able to clear it.
        config: { auth: routeAuth.public },
      },
      async (request, reply) => {
        const id = cookieOf(request, SESSION_COOKIE);
        const session = id === undefined ? undefined : sessions.get(id);
        if (session?.revokeOnLogout) {
          // A token already gone needs no revoking; but a store that cannot revoke now (sealed) must not see the
          // session forgotten with its token still valid: the user gets the error and logs out again once unsealed.
          await identity.tokens.revoke({ token: session.token }).catch((err: unknown) => {
            if (!isHushError(err) || err.code === 'HUSH_E_SEALED') throw err;
          });
        }
        if (id !== undefined) sessions.close(id);
        clearCookie(request, reply, SESSION_COOKIE, true);
        clearCookie(request, reply, CSRF_COOKIE, false);
        return reply.code(204).send();
      },
    );
  };
}

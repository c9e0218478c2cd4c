import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hushError } from '../../core/errors/index.js';
import { presentedToken } from '../plugins/auth-guard.js';
import { needsToken, routeOf } from '../route-config.js';
import { CSRF_HEADER, cookieOf, SESSION_COOKIE } from './console-cookies.js';
import { type ConsoleSession, type ConsoleSessions, sameSecret } from './console-sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The console session the request's cookie names (set before the auth guard), or null. */
    consoleSession: (ConsoleSession & { readonly id: string }) | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether the request changes state: any unsafe method, and a GET that does (`changesState`, e.g. issuing database
 * credentials). SameSite=Strict keeps the cookie from other sites, but another app on the same host or a sibling
 * subdomain is the same site, and its links and images carry the cookie; only the CSRF header tells them apart. A
 * public route that changes state (the OIDC callback, a cross-site redirect by design) guards itself.
 */
function changesState(request: FastifyRequest): boolean {
  if (!SAFE_METHODS.has(request.method)) return true;
  const { config } = routeOf(request);
  return config.changesState === true && needsToken(config.auth);
}

/**
 * Make a console session's cookie stand for its token, BEFORE the one auth guard runs: the guard then authenticates
 * the request with that token exactly as if it came in X-Hush-Token (plugins/auth-guard.ts presentedToken), so
 * policies and audit (the token's accessor and identity) apply to every click; there is no second auth path.
 * A request that changes state and rides on the cookie must echo the session's CSRF value in `x-hush-csrf`
 * (compared in constant time) or is refused: a cross-site form or fetch cannot read that value. A request that
 * presents a token itself (CLI, SDK) is untouched, cookie or not.
 */
export function installConsoleSession(app: FastifyInstance, sessions: ConsoleSessions): void {
  app.decorateRequest('consoleSession', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const id = cookieOf(request, SESSION_COOKIE);
    if (id === undefined || presentedToken(request) !== undefined) return done();
    const session = sessions.get(id);
    // An unknown or expired session is no credential: the guard answers 401 and the console shows its login.
    if (!session) return done();
    if (changesState(request)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrf)) {
        return done(hushError('CONSOLE_CSRF_MISMATCH'));
      }
    }
    request.consoleSession = { ...session, id };
    done();
  });
}

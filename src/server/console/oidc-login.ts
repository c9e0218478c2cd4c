import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { notJsonResponse } from '../../api/contract.js';
import { hushError } from '../../core/errors/index.js';
import { fetchJson } from '../../identity/fetch-json.js';
import type { IdentityServices } from '../../identity/index.js';
import { parseDiscoveredKeyUrl } from '../../identity/jwt-key-url.js';
import { discoveryDocumentUrl } from '../../identity/jwt-remote-keys.js';
import { hostAllowed, notAllowed, type OutboundGuard, portOf } from '../../net/outbound-allow-list.js';
import { guardedPost } from '../../net/outbound-get.js';
import { noteDenial } from '../plugins/auth-guard.js';
import { routeAuth } from '../route-config.js';
import { clearCookie, cookieOf, OIDC_COOKIE, setCookie } from './console-cookies.js';
import { type ConsoleSessions, randomId, sameSecret } from './console-sessions.js';
import { openSession } from './session-routes.js';

/** An OIDC login started and not yet finished: what the callback needs to finish it. */
interface PendingLogin {
  readonly role: string;
  readonly verifier: string;
  readonly nonce: string;
  readonly redirectUri: string;
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly expiresAt: number;
}

const PENDING_MS = 10 * 60 * 1000;
const MAX_PENDING = 1000;
const FETCH = { timeoutMs: 10_000, maxBytes: 256 * 1024 };
const CALLBACK = '/v1/console/oidc/callback';

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

/**
 * The provider's two endpoints from its discovery document. The token endpoint is where this server POSTs, so it
 * obeys the rules of a discovered jwks_uri (https, or plain http only to loopback from a loopback document).
 */
function discoveryOf(doc: unknown, from: URL): Discovery {
  const d = doc as Partial<Record<keyof Discovery, unknown>> | null;
  if (typeof d?.authorization_endpoint !== 'string' || typeof d.token_endpoint !== 'string') {
    throw hushError('CONSOLE_OIDC_PROVIDER_FAILED', { reason: 'the discovery document names no endpoints' });
  }
  return {
    authorization_endpoint: new URL(d.authorization_endpoint).href,
    token_endpoint: parseDiscoveredKeyUrl(d.token_endpoint, from).href,
  };
}

/** The redirect URI of this server as the browser reached it (the host header passed the host check). */
const redirectUriOf = (request: FastifyRequest): string =>
  `${request.protocol}://${request.headers.host ?? request.hostname}${CALLBACK}`;

/**
 * On a server, a URL this login sends the server to must be on the outbound allow-list by name (the address is
 * checked again when the socket connects): anyone may start a login, and the token endpoint comes from a document
 * fetched over the network, so neither may point the server at an internal service.
 */
function checkAllowed(outbound: OutboundGuard | undefined, url: URL, what: string): void {
  if (outbound && !hostAllowed(outbound.allow, url.hostname, portOf(url)))
    throw notAllowed(`the OIDC ${what}`, url.hostname, portOf(url));
}

/** Exchange the code (with the PKCE verifier) at the token endpoint; the provider's ID token. */
async function exchangeCode(
  pending: PendingLogin,
  code: string,
  outbound: OutboundGuard | undefined,
): Promise<string> {
  const url = new URL(pending.tokenEndpoint);
  checkAllowed(outbound, url, 'token endpoint');
  const signal = AbortSignal.timeout(FETCH.timeoutMs);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: pending.redirectUri,
    client_id: pending.clientId,
    code_verifier: pending.verifier,
  }).toString();
  let res: Response;
  try {
    res = outbound
      ? await guardedPost(url, form, { allow: outbound.allow, signal, headers })
      : await fetch(url, { method: 'POST', redirect: 'manual', signal, headers, body: form });
  } catch {
    throw hushError('CONSOLE_OIDC_PROVIDER_FAILED', { reason: 'the token endpoint could not be reached' });
  }
  const body = (await res.json().catch(() => null)) as { id_token?: unknown; error?: unknown } | null;
  if (res.status !== 200 || typeof body?.id_token !== 'string') {
    const why = typeof body?.error === 'string' ? body.error.slice(0, 80) : `HTTP ${res.status}`;
    throw hushError('CONSOLE_OIDC_PROVIDER_FAILED', { reason: `the code exchange failed (${why})` });
  }
  return body.id_token;
}

/**
 * Browser login by OIDC authorization code with PKCE (S256) against a JWT role that names an `oidcDiscoveryUrl`;
 * the console is a public client whose client id is the role's first bound audience (the ID token's `aud`).
 * `GET /v1/console/oidc/start?role=R` sends the browser to the provider with a fresh state, nonce and code
 * challenge (the state also goes in a short-lived httpOnly cookie, so a callback URL handed to another browser is
 * refused: no login CSRF). `GET /v1/console/oidc/callback` exchanges the code with the verifier, checks the nonce,
 * logs in through the JWT role (its issuer, audience, claims and rate limit) and opens a session.
 */
export function oidcLoginRoutes(sessions: ConsoleSessions, identity: IdentityServices): FastifyPluginAsync {
  const outbound = identity.outbound;
  const pending = new Map<string, PendingLogin>();
  const take = (state: string): PendingLogin | undefined => {
    const p = pending.get(state);
    pending.delete(state);
    return p && p.expiresAt > Date.now() ? p : undefined;
  };
  return async (app) => {
    app.get<{ Querystring: { role: string } }>(
      '/v1/console/oidc/start',
      {
        schema: {
          summary: 'Start a console login by OIDC (redirects to the provider)',
          tags: ['console'],
          response: notJsonResponse,
          querystring: {
            type: 'object',
            additionalProperties: false,
            required: ['role'],
            properties: { role: { type: 'string', minLength: 1, maxLength: 128 } },
          },
        },
        config: { requireUnsealed: true, auth: routeAuth.public },
      },
      async (request, reply) => {
        const role = await identity.jwt.readRole(request.query.role);
        const clientId = role.boundAudiences[0];
        if (!role.oidcDiscoveryUrl || !clientId) {
          throw hushError('CONSOLE_OIDC_NOT_OFFERED', { role: role.name });
        }
        const from = discoveryDocumentUrl(new URL(role.oidcDiscoveryUrl));
        checkAllowed(outbound, from, 'discovery URL');
        const fetched = await fetchJson(from.href, {
          ...FETCH,
          signal: AbortSignal.timeout(FETCH.timeoutMs),
          ...(outbound ? { allow: outbound.allow } : {}),
        }).catch(() => {
          throw hushError('CONSOLE_OIDC_PROVIDER_FAILED', { reason: 'discovery failed' });
        });
        const doc = discoveryOf(fetched, from);
        checkAllowed(outbound, new URL(doc.token_endpoint), 'token endpoint');
        const state = randomId();
        const login: PendingLogin = {
          role: role.name,
          verifier: randomId(),
          nonce: randomId(),
          redirectUri: redirectUriOf(request),
          tokenEndpoint: doc.token_endpoint,
          clientId,
          expiresAt: Date.now() + PENDING_MS,
        };
        if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
        pending.set(state, login);
        const challenge = createHash('sha256').update(login.verifier).digest('base64url');
        const target = new URL(doc.authorization_endpoint);
        target.search = new URLSearchParams({
          response_type: 'code',
          client_id: clientId,
          redirect_uri: login.redirectUri,
          scope: 'openid',
          state,
          nonce: login.nonce,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }).toString();
        // Lax: the provider's redirect back is a cross-site navigation, which a Strict cookie would not survive.
        setCookie(request, reply, OIDC_COOKIE, state, {
          maxAgeSeconds: PENDING_MS / 1000,
          httpOnly: true,
          sameSite: 'Lax',
          path: CALLBACK,
        });
        return reply.redirect(target.toString(), 302);
      },
    );

    app.get<{ Querystring: { code?: string; state?: string; error?: string } }>(
      CALLBACK,
      {
        schema: {
          summary: 'Finish a console login by OIDC (the provider redirects here)',
          tags: ['console'],
          response: notJsonResponse,
          querystring: {
            type: 'object',
            properties: {
              code: { type: 'string', maxLength: 4096 },
              state: { type: 'string', maxLength: 256 },
              error: { type: 'string', maxLength: 256 },
            },
          },
        },
        config: { requireUnsealed: true, auth: routeAuth.public, changesState: true },
      },
      async (request, reply) => {
        const { code, state } = request.query;
        const bound = cookieOf(request, OIDC_COOKIE);
        clearCookie(request, reply, OIDC_COOKIE, true, CALLBACK);
        try {
          if (!state || !code || bound === undefined || !sameSecret(bound, state)) {
            throw hushError('CONSOLE_OIDC_STATE_UNKNOWN');
          }
          const login = take(state);
          if (!login) throw hushError('CONSOLE_OIDC_STATE_UNKNOWN');
          const idToken = await exchangeCode(login, code, outbound);
          const nonce = decodeJwt(idToken).nonce;
          if (typeof nonce !== 'string' || !sameSecret(nonce, login.nonce)) {
            throw hushError('CONSOLE_OIDC_PROVIDER_FAILED', { reason: 'the ID token answers another login' });
          }
          const created = await identity.jwt.login(login.role, idToken, request.ip);
          const expires = created.view.expiresAt;
          openSession(sessions, request, reply, {
            token: created.token,
            expiresAt: expires === null ? null : Date.parse(expires),
            revokeOnLogout: true,
          });
        } catch (err) {
          await noteDenial(identity.audit, request, err);
          throw err;
        }
        return reply.redirect('/ui/', 302);
      },
    );
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from './server-deps.js';

/** Per-route options read by the seal guard and the auth guard (`config: { requireUnsealed: true, auth: ... }`). */
export interface HushRouteAuth {
  /** A fixed policy path and capability to check after authentication (dynamic paths are checked in the route). */
  readonly authorize?: { readonly path: string; readonly capability: string };
}

declare module 'fastify' {
  /** Documentation fields copied into /v1/openapi.json. */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: readonly string[];
    /** Leave the route out of the OpenAPI document. */
    hide?: boolean;
  }
  interface FastifyContextConfig {
    /** The route needs an unsealed store: 503 HUSH_E_SEALED / HUSH_E_NOT_INITIALIZED otherwise. */
    requireUnsealed?: boolean;
    /** The route needs a valid token (`true`), optionally plus a capability on a fixed path. */
    auth?: true | HushRouteAuth;
    /**
     * The header carrying the token on this route in place of `X-Hush-Token` (the Vault-compatible routes take
     * `X-Vault-Token`); `Authorization: Bearer` is accepted either way.
     */
    tokenHeader?: string;
    /**
     * Run after the seal guard and before the auth guard (e.g. `hush incident unlock` opens the barrier of a sealed
     * key-file store so the operator's token can be checked at all).
     */
    beforeAuth?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    /** Set by the auth guard on routes with `config.auth`. */
    caller?: Caller;
    /** The matched route's options, read once per request by {@link routeOf}. */
    hushRoute: FastifyRequest['routeOptions'] | null;
  }
}

/**
 * The matched route's options (URL pattern, `config`). Fastify builds a fresh options object on every
 * `request.routeOptions` read, and several hooks need it per request: take it once and keep it on the request.
 * Register `app.decorateRequest('hushRoute', null)` (buildApp does) so every request has the slot.
 */
export function routeOf(request: FastifyRequest): FastifyRequest['routeOptions'] {
  request.hushRoute ??= request.routeOptions;
  return request.hushRoute;
}

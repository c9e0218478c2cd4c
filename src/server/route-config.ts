import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from './server-deps.js';

/**
 * What a route needs before its handler runs, declared once in its `config.auth` and applied by the ONE guard
 * (plugins/auth-guard.ts), which authenticates and authorises before the handler and notes any denial on the request
 * for the audit record. Build it with {@link routeAuth}; the modes:
 * - `public`: no token (health, seal status, logins: their material is the credential).
 * - `token`: any valid token; the route acts on the caller's own things or filters its answer itself.
 * - `fixed`: `capability` on one fixed policy path, checked in onRequest, before the body is read (optionally with
 *   a per-item checker as well, for a route that also filters its items).
 * - `derived`: `capability` on a path `path(request)` computes from params, query or body (validated, so it runs
 *   just before the handler). The function may throw a coded error for a bad path, and may note `request.auditPath`.
 * - `per-item`: a batch or list route whose items have different paths, or whose capability depends on stored state:
 *   the guard hands the handler `checkerOf(request)`, bound to the caller, which only checks the declared
 *   `capabilities` and audits a denial like the guard's own.
 * - `signed`: the request authenticates by a signature over its exact bytes instead of a token (the AWS endpoint's
 *   SigV4): the route declares the scheme's `authenticate(request)`, which the guard runs once the body is read
 *   (before validation and the `requested` record of a write, so that names the caller), and the guard hands the
 *   handler the same per-item checker as `per-item`. So a signed route has its own AUTHENTICATION but no
 *   authorisation of its own: every policy check it makes goes through `checkerOf(request)`, the one checker of the
 *   native routes (not `public` plus a private check, which would be a second authorisation path). A refusal of the
 *   scheme's own is noted as a denial through `denialOf` (its own error code, e.g. SignatureDoesNotMatch).
 * A route that declares nothing is served as public, and test/route-auth-declared.test.ts fails for it. Converting a
 * route that checked in its handler (`await check(request, path, cap)`): move the path into `routeAuth.derived` and
 * read it back with `authorizedPath(request)`; a check that depends on the body's items or on stored state becomes
 * `routeAuth.perItem(...)` with `checkerOf(request).require/holds`. /v1/openapi.json shows each as `x-hush-auth`.
 *
 * @example
 * app.get('/v1/sys/policies', { config: { requireUnsealed: true, auth: routeAuth.fixed('sys/policies', 'list') } }, h);
 * app.get<{ Params: { name: string } }>('/v1/sys/policies/:name', {
 *   config: { requireUnsealed: true, auth: routeAuth.derived('read', (r: NameRequest) => `sys/policies/${r.params.name}`) },
 * }, (request) => policies.get(request.params.name));
 * app.post('/v1/rotation/on-deploy', { config: { auth: routeAuth.perItem('rotate') } }, async (request) => {
 *   for (const path of due) if (await checkerOf(request).holds(path, 'rotate')) await rotate(path);
 * });
 */
export type RouteAuth =
  | { readonly mode: 'public' }
  | { readonly mode: 'token' }
  | {
      readonly mode: 'fixed';
      readonly path: string;
      readonly capability: string;
      /** Also hand the handler a checker for these capabilities on its items (as `per-item` does). */
      readonly perItem?: readonly string[];
    }
  | {
      readonly mode: 'derived';
      readonly capability: string;
      readonly path: (request: FastifyRequest) => string | Promise<string>;
      /**
       * The request's `requestDigest` (core/approvals), for a route whose one approval covers a whole batch: an
       * approval pinned to a digest lets only the request with that digest through.
       */
      readonly digest?: (request: FastifyRequest) => string;
    }
  | { readonly mode: 'per-item'; readonly capabilities: readonly string[] }
  | {
      readonly mode: 'signed';
      /** The signature scheme, as the OpenAPI document names it (`aws-sigv4`). */
      readonly scheme: string;
      /** Verify the signature over the request's bytes and return who signed; throws on refusal. */
      readonly authenticate: (request: FastifyRequest) => Promise<Caller>;
      /** The scheme's own refusal as a denial to audit (its error code, a reason); undefined: not a denial. */
      readonly denialOf: (err: unknown) => SignedDenial | undefined;
      readonly capabilities: readonly string[];
    };

/** How a `signed` route's authentication refusal is audited: the scheme's code and an optional reason. */
export interface SignedDenial {
  readonly code: string;
  readonly reason?: string;
}

/** Constructors of {@link RouteAuth}: the only way routes declare their authorisation. */
export const routeAuth = {
  public: { mode: 'public' } as RouteAuth,
  token: { mode: 'token' } as RouteAuth,
  /** `perItem`: capabilities the handler may also check on its items, through `checkerOf(request)`. */
  fixed: (path: string, capability: string, ...perItem: string[]): RouteAuth =>
    perItem.length > 0 ? { mode: 'fixed', path, capability, perItem } : { mode: 'fixed', path, capability },
  /** `R` names the route's request shape (`FastifyRequest<{ Params: { name: string } }>`) for the path function. */
  derived: <R extends FastifyRequest = FastifyRequest>(
    capability: string,
    path: (request: R) => string | Promise<string>,
    digest?: (request: R) => string,
  ): RouteAuth => ({
    mode: 'derived',
    capability,
    // The guard runs them on the matched route's request, whose params/query/body have the route's schema shape.
    path: path as (request: FastifyRequest) => string | Promise<string>,
    ...(digest ? { digest: digest as (request: FastifyRequest) => string } : {}),
  }),
  perItem: (...capabilities: string[]): RouteAuth => ({ mode: 'per-item', capabilities }),
  /** A route authenticated by a request signature (see `signed` above), checking `capabilities` per item. */
  signed: (
    scheme: string,
    how: Pick<Extract<RouteAuth, { mode: 'signed' }>, 'authenticate' | 'denialOf'>,
    ...capabilities: string[]
  ): RouteAuth => ({ mode: 'signed', scheme, ...how, capabilities }),
} as const;

/** What the guard hands a `per-item` route: capability checks bound to the caller, denials audited. */
export interface AccessChecker {
  /** Throw HUSH_E_FORBIDDEN (audited) unless the caller holds `capability` on `path`. */
  require(path: string, capability: string): Promise<void>;
  /** Whether the caller holds `capability` on `path` (a refusal is not an error and is not audited). */
  holds(path: string, capability: string): Promise<boolean>;
  /**
   * Whether the caller may use `capability` on `path` without an approval, spending none: for checks that only look
   * (holds would spend an approved request on a path whose policy rule needs approvals).
   */
  mayUseFreely(path: string, capability: string): Promise<boolean>;
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
    /** How the route is authorised (see {@link RouteAuth}); every route of the server declares it. */
    auth?: RouteAuth;
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
    /** Set by the auth guard on every route that needs a token. */
    caller?: Caller;
    /** The path a `derived` route was authorised on (read it through {@link authorizedPath}). */
    authorizedPath: string | null;
    /** Set by the auth guard on `per-item` routes (read it through {@link checkerOf}). */
    accessChecker: AccessChecker | null;
    /** The matched route's options, read once per request by {@link routeOf}. */
    hushRoute: FastifyRequest['routeOptions'] | null;
  }
}

/** The checker the guard bound to this request's caller: `per-item` and `signed` routes (a TypeError otherwise). */
export function checkerOf(request: FastifyRequest): AccessChecker {
  if (!request.accessChecker) throw new TypeError(`route ${request.url} does not declare routeAuth.perItem`);
  return request.accessChecker;
}

/** The path the guard authorised a `derived` route on (computed once: the handler need not parse it again). */
export function authorizedPath(request: FastifyRequest): string {
  if (request.authorizedPath === null) {
    throw new TypeError(`route ${request.url} does not declare routeAuth.derived`);
  }
  return request.authorizedPath;
}

/** A route authenticated by a Hush token (every mode but `public` and `signed`). */
export type TokenAuth = Exclude<RouteAuth, { mode: 'public' } | { mode: 'signed' }>;

/** Whether a route needs a Hush token (not `public`, not `signed`, and not undeclared, which is served as public). */
export function needsToken(auth: RouteAuth | undefined): auth is TokenAuth {
  return auth !== undefined && auth.mode !== 'public' && auth.mode !== 'signed';
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

import type { FastifyInstance, FastifyRequest, preHandlerHookHandler, RouteOptions } from 'fastify';
import { hushError, isHushError } from '../../core/errors/index.js';
import {
  type AccessChecker,
  needsToken,
  type RouteAuth,
  routeOf,
  type SignedDenial,
  type TokenAuth,
} from '../route-config.js';
import type { Caller, ServerAudit, ServerAuth } from '../server-deps.js';
import { noteCheck } from './authz-note.js';

/**
 * The presented token: `X-Hush-Token` (or the route's `tokenHeader`), or `Authorization: Bearer <token>`, else the
 * token of the console session the request's cookie names (server/console/session-hook.ts checked its CSRF header).
 */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers[routeOf(request).config.tokenHeader ?? 'x-hush-token'];
  if (typeof header === 'string' && header !== '') return header;
  const authz = request.headers.authorization;
  const bearer = typeof authz === 'string' ? /^Bearer\s+(\S+)$/i.exec(authz) : null;
  return bearer?.[1] ?? request.consoleSession?.token;
}

/** Errors that are denials: the audit record says `denied` and names who was refused. */
const DENIALS = new Set(['HUSH_E_UNAUTHENTICATED', 'HUSH_E_FORBIDDEN', 'HUSH_E_RATE_LIMITED']);

/**
 * The ONE guard: every route declares its `config.auth` (route-config.ts, {@link RouteAuth}) and this guard applies
 * it before the handler, so no route authorises in a style of its own. It authenticates in onRequest, after the seal
 * guard (a sealed store cannot check tokens) and before the body is read, so an anonymous caller cannot make the
 * server parse large bodies; a `fixed` capability is checked there too. A `derived` path is checked by a route-level
 * preHandler (after validation, and after the audit plugin's `requested` record of a write, as a check in the
 * handler was); a `per-item` route gets `request.accessChecker`, bound to the caller. A `signed` route's own
 * authenticator runs in a route-level preValidation (the signature covers the body, read by then) and the route gets
 * the same checker. Every denial is noted on the
 * request (ServerAudit.recordDenial) before the error goes out; if the audit sink cannot take the note the request
 * fails with HUSH_E_AUDIT_UNAVAILABLE. Without an authenticator every route needing a token fails closed.
 */
export function installAuthGuard(
  app: FastifyInstance,
  auth: ServerAuth | undefined,
  audit: ServerAudit | undefined,
): void {
  app.decorateRequest('accessChecker', null);
  app.decorateRequest('authorizedPath', null);

  // A callback hook: public routes (health, metrics) pay no promise, and a token the authenticator answers for
  // synchronously (cached, no use to count) on a route without a fixed capability passes without one either.
  app.addHook('onRequest', (request, _reply, done) => {
    const need = routeOf(request).config.auth;
    if (!needsToken(need)) return done();
    let pending: Promise<Caller> | undefined;
    if (auth && need.mode !== 'fixed') {
      let started: Caller | Promise<Caller>;
      try {
        started = auth.authenticate(presentedToken(request));
      } catch (err) {
        started = Promise.reject(err);
      }
      if (!(started instanceof Promise)) {
        admit(request, need, started);
        return done();
      }
      pending = started;
    }
    // Waiting: hand Fastify the promise (not `done` inside a then), so an error while replying is still caught.
    return authenticate(request, need, pending);
  });

  app.addHook('onRoute', (options: RouteOptions) => {
    const need = options.config?.auth;
    if (need?.mode === 'signed') return addSignedCheck(options, need);
    // `derived` routes: the path needs the validated params/query/body, so it is checked just before the handler.
    if (need?.mode !== 'derived') return;
    // A callback hook: a path computed synchronously and a cached token's verdict pass without a promise (the read
    // path is the hottest route of the server).
    const check: preHandlerHookHandler = (request, _reply, done) => {
      let pending: void | Promise<void>;
      try {
        const path = need.path(request);
        const { digest: digestOf } = need;
        const digest = digestOf ? () => digestOf(request) : undefined;
        pending =
          typeof path === 'string'
            ? authorizeDerived(request, path, need.capability, digest)
            : path.then((p) => authorizeDerived(request, p, need.capability, digest));
      } catch (err) {
        pending = Promise.reject(err);
      }
      if (pending === undefined) return done();
      return pending.catch((err: unknown) => denied(request, err));
    };
    const own = options.preHandler;
    options.preHandler = own === undefined ? [check] : [check, ...(Array.isArray(own) ? own : [own])];
  });

  /**
   * `signed` routes: the scheme's authenticator needs the body bytes, so it runs first among the route's
   * preValidation hooks (before validation, and before the `requested` record of a write, which then names the
   * signer); its refusals are noted as denials with the scheme's code.
   */
  function addSignedCheck(options: RouteOptions, need: Extract<RouteAuth, { mode: 'signed' }>): void {
    const check = async (request: FastifyRequest): Promise<void> => {
      try {
        admit(request, need, await need.authenticate(request));
      } catch (err) {
        const denial = need.denialOf(err);
        if (denial) await noteDenialEvent(audit, request, denial);
        else await noteDenial(audit, request, err);
        throw err;
      }
    };
    const own = options.preValidation;
    options.preValidation = own === undefined ? [check] : [check, ...(Array.isArray(own) ? own : [own])];
  }

  /** Authenticate (or finish an authentication already `started`), authorise a fixed capability, audit denials. */
  async function authenticate(
    request: FastifyRequest,
    need: TokenAuth,
    started: Promise<Caller> | undefined,
  ): Promise<void> {
    let callerId: string | undefined;
    try {
      if (!auth) throw hushError('SERVER_NO_TOKEN_AUTHENTICATOR_CONFIGURED');
      const caller = await (started ?? auth.authenticate(presentedToken(request)));
      callerId = caller.id;
      if (need.mode === 'fixed') {
        noteCheck(request, need.path, need.capability, caller);
        await auth.authorize(caller, need.path, need.capability);
      }
      admit(request, need, caller);
    } catch (err) {
      await noteDenial(audit, request, err, callerId);
      throw err;
    }
  }

  /**
   * `capability` on the derived `path` (an approval pinned to a digest fits only a request of that `digest`); noted
   * on the request once granted (see authorizedPath).
   */
  function authorizeDerived(
    request: FastifyRequest,
    path: string,
    capability: string,
    digest: (() => string) | undefined,
  ): void | Promise<void> {
    if (!auth) throw hushError('SERVER_NO_TOKEN_AUTHENTICATOR_CONFIGURED');
    if (!request.caller) throw hushError('ENDPOINT_NEEDS_HUSH_TOKEN');
    noteCheck(request, path, capability);
    const verdict = auth.authorize(request.caller, path, capability, digest);
    if (verdict instanceof Promise) {
      return verdict.then(() => {
        request.authorizedPath = path;
      });
    }
    request.authorizedPath = path;
  }

  /** Note a denial for the audit record, then fail with it. */
  async function denied(request: FastifyRequest, err: unknown): Promise<never> {
    await noteDenial(audit, request, err, request.caller?.id);
    throw err;
  }

  function admit(request: FastifyRequest, need: RouteAuth, caller: Caller): void {
    request.caller = caller;
    if (need.mode === 'per-item' || need.mode === 'signed')
      request.accessChecker = checkerFor(request, need.capabilities);
    else if (need.mode === 'fixed' && need.perItem) request.accessChecker = checkerFor(request, need.perItem);
  }

  /** `capability` on `path` for the request's caller; a denial is noted for the audit record, then thrown. */
  async function authorizeNoted(request: FastifyRequest, path: string, capability: string): Promise<void> {
    try {
      if (!auth) throw hushError('SERVER_NO_TOKEN_AUTHENTICATOR_CONFIGURED');
      if (!request.caller) throw hushError('ENDPOINT_NEEDS_HUSH_TOKEN');
      noteCheck(request, path, capability);
      await auth.authorize(request.caller, path, capability);
    } catch (err) {
      await denied(request, err);
    }
  }

  function checkerFor(request: FastifyRequest, declared: readonly string[]): AccessChecker {
    const allowed = (capability: string) => {
      if (!declared.includes(capability)) {
        throw new TypeError(`route ${routeOf(request).url} checks '${capability}' but declares ${declared}`);
      }
    };
    return {
      async require(path, capability) {
        allowed(capability);
        await authorizeNoted(request, path, capability);
      },
      async mayUseFreely(path, capability) {
        allowed(capability);
        if (!auth || !request.caller) return false;
        if (auth.mayUse) return auth.mayUse(request.caller, path, capability);
        return this.holds(path, capability);
      },
      async holds(path, capability) {
        allowed(capability);
        if (!auth || !request.caller) return false;
        try {
          await auth.authorize(request.caller, path, capability);
          return true;
        } catch (err) {
          if (isHushError(err, 'HUSH_E_FORBIDDEN')) return false;
          throw err;
        }
      },
    };
  }
}

/**
 * Note a denial (`err` a HUSH_E_UNAUTHENTICATED, _FORBIDDEN or _RATE_LIMITED error; anything else is left alone) on
 * the request for its one audit record. Logins use it too, so every denial takes this one path.
 */
export async function noteDenial(
  audit: ServerAudit | undefined,
  request: FastifyRequest,
  err: unknown,
  callerId?: string,
): Promise<void> {
  if (!isHushError(err) || !DENIALS.has(err.code)) return;
  const reason = err.details?.['reason'];
  const who = callerId ?? err.auditSubject?.identity;
  const accessor = err.auditSubject?.tokenAccessor;
  await noteDenialEvent(audit, request, {
    code: err.code,
    ...(who ? { callerId: who } : {}),
    ...(accessor ? { tokenAccessor: accessor } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
  });
}

/** Note one denial on the request (the audit plugin writes it into the request's one record). */
async function noteDenialEvent(
  audit: ServerAudit | undefined,
  request: FastifyRequest,
  denial: SignedDenial & { readonly callerId?: string; readonly tokenAccessor?: string },
): Promise<void> {
  if (!audit) return;
  const callerId = denial.callerId ?? request.caller?.id;
  try {
    await audit.recordDenial(request, {
      requestId: request.id,
      method: request.method,
      route: routeOf(request).url ?? '(unmatched)',
      code: denial.code,
      ...(callerId ? { callerId } : {}),
      ...(denial.tokenAccessor ? { tokenAccessor: denial.tokenAccessor } : {}),
      ...(denial.reason ? { reason: denial.reason } : {}),
    });
  } catch {
    throw hushError('AUDIT_TRAIL_COULD_NOT_RECORD');
  }
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hushError, isHushError } from '../../core/errors/index.js';
import { type HushRouteAuth, routeOf } from '../route-config.js';
import type { Caller, ServerAudit, ServerAuth } from '../server-deps.js';

/** The presented token: `X-Hush-Token` (or the route's `tokenHeader`), or `Authorization: Bearer <token>`. */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers[routeOf(request).config.tokenHeader ?? 'x-hush-token'];
  if (typeof header === 'string' && header !== '') return header;
  const authz = request.headers.authorization;
  const bearer = typeof authz === 'string' ? /^Bearer\s+(\S+)$/i.exec(authz) : null;
  return bearer?.[1];
}

/**
 * Routes with `config.auth` need a valid token (and, when given, a capability on a fixed path). Runs in onRequest,
 * after the seal guard (a sealed store cannot check tokens) and before the body is read, so an anonymous caller
 * cannot make the server parse large bodies. Denials are audited before the error goes out; if the
 * audit sink cannot record them the request fails with HUSH_E_AUDIT_UNAVAILABLE. Without an authenticator every
 * guarded route fails closed.
 */
export function installAuthGuard(
  app: FastifyInstance,
  auth: ServerAuth | undefined,
  audit: ServerAudit | undefined,
): void {
  // A callback hook: unguarded routes (health, metrics) pay no promise, and a token the authenticator answers
  // for synchronously (cached, no use to count) on a route without a fixed capability passes without one either.
  app.addHook('onRequest', (request, _reply, done) => {
    const need = routeOf(request).config.auth;
    if (need === undefined) return done();
    let pending: Promise<Caller> | undefined;
    if (auth && need === true) {
      let started: Caller | Promise<Caller>;
      try {
        started = auth.authenticate(presentedToken(request));
      } catch (err) {
        started = Promise.reject(err);
      }
      if (!(started instanceof Promise)) {
        request.caller = started;
        return done();
      }
      pending = started;
    }
    // Waiting: hand Fastify the promise (not `done` inside a then), so an error while replying is still caught.
    return guard(request, need, pending);
  });

  /** Authenticate (or finish an authentication already `started`), authorise a fixed capability, audit denials. */
  async function guard(
    request: FastifyRequest,
    need: true | HushRouteAuth,
    started: Promise<Caller> | undefined,
  ): Promise<void> {
    let callerId: string | undefined;
    try {
      if (!auth) {
        throw hushError('SERVER_NO_TOKEN_AUTHENTICATOR_CONFIGURED');
      }
      const caller = await (started ?? auth.authenticate(presentedToken(request)));
      callerId = caller.id;
      if (need !== true && need.authorize) {
        await auth.authorize(caller, need.authorize.path, need.authorize.capability);
      }
      request.caller = caller;
    } catch (err) {
      if (audit && isHushError(err) && ['HUSH_E_UNAUTHENTICATED', 'HUSH_E_FORBIDDEN'].includes(err.code)) {
        const reason = err.details?.['reason'];
        await recordDenial(audit, request, err.code, {
          callerId: callerId ?? err.auditSubject?.identity,
          tokenAccessor: err.auditSubject?.tokenAccessor,
          reason: typeof reason === 'string' ? reason : undefined,
        });
      }
      throw err;
    }
  }
}

async function recordDenial(
  audit: ServerAudit,
  request: FastifyRequest,
  code: string,
  who: { callerId: string | undefined; tokenAccessor: string | undefined; reason: string | undefined },
): Promise<void> {
  try {
    await audit.recordDenial(request, {
      requestId: request.id,
      method: request.method,
      route: routeOf(request).url ?? '(unmatched)',
      code,
      ...(who.callerId ? { callerId: who.callerId } : {}),
      ...(who.tokenAccessor ? { tokenAccessor: who.tokenAccessor } : {}),
      ...(who.reason ? { reason: who.reason } : {}),
    });
  } catch {
    throw hushError('AUDIT_TRAIL_COULD_NOT_RECORD');
  }
}

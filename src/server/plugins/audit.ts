import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditOutcome, AuditValue } from '../../core/audit/audit-record.js';
import { hushError, isHushError } from '../../core/errors/index.js';
import { routeOf } from '../route-config.js';
import type { Caller, DenialEvent, ServerAudit } from '../server-deps.js';
import { authzDetail } from './authz-note.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The audit operation id of the route, e.g. `secrets.read` (default: derived from the URL pattern). */
    operation?: string;
    /**
     * The route changes state although its method says it does not (a GET that issues credentials): it gets a
     * durable `requested` record before its handler runs, as every POST/PUT/PATCH/DELETE does.
     */
    changesState?: boolean;
  }
  interface FastifyRequest {
    /** The secret address (or prefix) the request acts on, set by the route once validated. */
    auditPath?: string;
    /** Operation-specific, non-secret extras (versions, counts); sensitive names are HMAC'd by the log anyway. */
    auditDetails?: Record<string, AuditValue>;
    /** The denial noted by the auth guard or a route for THIS request (see ServerAudit.recordDenial). */
    auditDenial?: DenialEvent | null;
    /**
     * The HUSH_E_* code of a failed request whose reply body is not Hush's error shape (the Vault-compatible routes
     * answer `{"errors": [...]}`); otherwise the code is read from the body.
     */
    auditErrorCode?: string;
    /** The seq of this request's `requested` record (writes only); its outcome record names it as `requestSeq`. */
    auditRequestSeq?: number | null;
    /**
     * The operation to record when one route serves several (the AWS endpoint records `secrets.read` for
     * GetSecretValue, so alert rules see it); set before the handler runs to name the `requested` record too.
     */
    auditOperation?: string;
    /** A denial answered with a status that does not say so (AWS answers AccessDenied with 400): record `denied`. */
    auditDeniedAs?: number;
  }
}

/** The slice of `AuditLog` (src/audit) the plugin uses. */
export interface AuditAppender {
  append(event: {
    requestId: string;
    operation: string;
    outcome: AuditOutcome;
    identity?: string | null;
    tokenAccessor?: string | null;
    authMethod?: string | null;
    sourceAddress?: string | null;
    path?: string | null;
    errorCode?: string | null;
    details?: Record<string, AuditValue>;
  }): Promise<unknown>;
}

/** Options of {@link auditPlugin}. */
export interface AuditPluginOptions {
  /** URL paths (without query) never audited: health probes would flood the trail. */
  readonly exclude?: readonly string[];
}

/** The plugin plus the `ServerAudit` to pass as `deps.audit`, so the auth guard's denials share the one record. */
export type AuditPlugin = FastifyPluginAsync & { readonly serverAudit: ServerAudit };

const DEFAULT_EXCLUDE = ['/v1/sys/health', '/vault/v1/sys/health'];
/** The API trees audited: Hush's own and the Vault-compatible one (src/server/routes/vault/). */
const VAULT_API_PREFIX = '/vault/v1/';
const AUDITED_PREFIXES = ['/v1/', VAULT_API_PREFIX];
const audited = (path: string, exclude: ReadonlySet<string>): boolean =>
  AUDITED_PREFIXES.some((prefix) => path.startsWith(prefix)) && !exclude.has(path);
/** Methods that may change state: each gets a durable `requested` record before its handler runs. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Longest URL path kept in a `requested` record (a path is all it may name; the query is never kept). */
const MAX_URL_CHARS = 512;

/**
 * Fail-closed audit: every request under `/v1/` gets exactly ONE record, appended (durably, by the log) in onSend,
 * i.e. before any byte of the reply leaves. If the append fails, the reply is replaced by 503
 * HUSH_E_AUDIT_UNAVAILABLE and none of the original body is sent. Register it through `deps.routes` and pass
 * `plugin.serverAudit` as `deps.audit`: the guard's `recordDenial` only notes the denial on the request itself, and
 * the same onSend writes it (with source address and path), so a denied request is never recorded twice.
 *
 * @example
 * const audit = auditPlugin(await createAuditLog({ sinks: [createJsonlFileSink({ dir })], hmacKey }));
 * buildApp({ version, store, auth, audit: audit.serverAudit, routes: [audit, secretsRoutes(deps)] }, config);
 */
export function auditPlugin(log: AuditAppender, options: AuditPluginOptions = {}): AuditPlugin {
  const exclude = new Set(options.exclude ?? DEFAULT_EXCLUDE);
  // The note lives on the request object: request ids may be caller-supplied, so keying server state by them would
  // let one request's denial be written into another's record (a later anonymous 401 reusing the id).
  const serverAudit: ServerAudit = {
    async recordDenial(request, event) {
      request.auditDenial ??= event;
    },
    async recordRefused(event) {
      await log.append({
        requestId: event.requestId,
        operation: 'unmatched',
        outcome: 'error',
        sourceAddress: event.sourceAddress,
        errorCode: event.code,
        details: { status: event.status, method: event.method },
      });
    },
  };
  const plugin = async (app: FastifyInstance) => {
    // Declared up front (null) so every request object keeps one shape.
    if (!app.hasRequestDecorator('auditDenial')) app.decorateRequest('auditDenial', null);
    if (!app.hasRequestDecorator('auditRequestSeq')) app.decorateRequest('auditRequestSeq', null);
    // Intent before effect: a write is recorded (durably) before its handler can touch storage, so a crash between
    // the storage write and the outcome record leaves a `requested` record that verify reports as outcome unknown,
    // never a silent change. A failed append refuses the request before anything is written.
    app.addHook('preHandler', (request, _reply, done) => {
      if (!WRITE_METHODS.has(request.method) && routeOf(request).config?.changesState !== true) return done();
      const path = urlPath(request.url);
      if (!audited(path, exclude)) return done();
      let appended: Promise<unknown>;
      try {
        appended = log.append(requestEventFor(request, path));
      } catch (err) {
        appended = Promise.reject(err);
      }
      return appended.then(
        (record) => {
          const seq = (record as { seq?: unknown } | undefined)?.seq;
          if (typeof seq === 'number') request.auditRequestSeq = seq;
        },
        (err: unknown) => {
          request.log.error({ code: isHushError(err) ? err.code : 'unknown' }, 'audit append failed');
          throw hushError('AUDIT_FAILED_NOTHING_CHANGED');
        },
      );
    });
    // Unaudited paths call `done` at once; audited ones return the append's promise (one promise, no async wrapper).
    app.addHook('onSend', (request, reply, payload, done) => {
      const denied =
        reply.statusCode === 401 || reply.statusCode === 403 || request.auditDeniedAs === reply.statusCode;
      const denial = denied ? (request.auditDenial ?? undefined) : undefined;
      const path = urlPath(request.url);
      if (!audited(path, exclude)) return done(null, payload);
      let appended: Promise<unknown>;
      try {
        appended = log.append(eventFor(request, reply, payload, denial));
      } catch (err) {
        appended = Promise.reject(err); // fail closed like any failed append
      }
      // Waiting: hand Fastify the promise (not `done` inside a then), so an error while replying is still caught.
      return appended.then(
        () => payload,
        (err: unknown) => {
          request.log.error({ code: isHushError(err) ? err.code : 'unknown' }, 'audit append failed');
          const failure = hushError('AUDIT_FAILED_RESULT_WITHHELD');
          reply.code(503).header('content-type', 'application/json; charset=utf-8');
          reply.removeHeader('content-length');
          return JSON.stringify(failure.toJSON());
        },
      );
    });
  };
  // Like fastify-plugin: hooks apply to the whole app, not only to routes registered inside this plugin.
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true, serverAudit });
}

/** The URL without its query (a query may carry anything; it is never recorded). */
function urlPath(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** The `requested` record of a write: who asks for what, before anything happens (no body, no query). */
function requestEventFor(request: FastifyRequest, path: string): Parameters<AuditAppender['append']>[0] {
  const caller: Caller | undefined = request.caller;
  return {
    requestId: request.id,
    operation: operationOf(request),
    outcome: 'requested',
    identity: caller?.id ?? null,
    tokenAccessor: caller?.accessor ?? null,
    authMethod: caller?.authMethod ?? null,
    sourceAddress: request.ip ?? null,
    path: request.auditPath ?? null,
    errorCode: null,
    details: { method: request.method, url: path.slice(0, MAX_URL_CHARS) },
  };
}

/** Build the record: identity from the caller (or the guard's denial note), never the token, body or value. */
function eventFor(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  denial: DenialEvent | undefined,
): Parameters<AuditAppender['append']>[0] {
  const status = reply.statusCode;
  const caller: Caller | undefined = request.caller;
  const errorCode = status >= 400 ? (denial?.code ?? request.auditErrorCode ?? errorCodeOf(payload)) : null;
  const outcome: AuditOutcome =
    status < 400
      ? 'allowed'
      : status === 401 || status === 403 || request.auditDeniedAs === status
        ? 'denied'
        : 'error';
  return {
    requestId: request.id,
    operation: operationOf(request),
    outcome,
    identity: caller?.id ?? denial?.callerId ?? null,
    tokenAccessor: caller?.accessor ?? denial?.tokenAccessor ?? null,
    authMethod: caller?.authMethod ?? null,
    sourceAddress: request.ip ?? null,
    path: request.auditPath ?? null,
    errorCode,
    details: detailsOf(request, status, denial),
  };
}

/** Status and method, the denial reason if any, then the route's own extras (built without spreads: per request). */
function detailsOf(
  request: FastifyRequest,
  status: number,
  denial: DenialEvent | undefined,
): Record<string, AuditValue> {
  const details: Record<string, AuditValue> = { status, method: request.method };
  if (denial?.reason) details['reason'] = denial.reason;
  if (typeof request.auditRequestSeq === 'number') details['requestSeq'] = request.auditRequestSeq;
  // Every Vault-compatible call says so, denials and input errors included (its routes only mark their successes).
  if (urlPath(request.url).startsWith(VAULT_API_PREFIX)) details['api'] = 'vault';
  // What the request needed and the token's policy names, for `hush policy simulate` (docs/policies.md).
  const authz = authzDetail(request);
  if (authz !== undefined) details['authz'] = authz;
  if (request.auditDetails !== undefined) Object.assign(details, request.auditDetails);
  return details;
}

/** `config.operation`, else the route pattern as dotted words (`/v1/sys/seal` -> `sys.seal`). */
function operationOf(request: FastifyRequest): string {
  if (request.auditOperation !== undefined) return request.auditOperation;
  const route = routeOf(request);
  const configured = route.config?.operation;
  if (configured) return configured;
  const url = route.url;
  if (!url) return 'unmatched';
  return (
    url
      .replace(/^\/v1\//, '')
      .replace(/\/?\*$/, '')
      .replace(/\//g, '.') || 'root'
  );
}

/** The HUSH_E_* code of an error body (the errors plugin's shape), or an AWS `__type`; the body is not kept. */
function errorCodeOf(payload: unknown): string | null {
  if (typeof payload !== 'string') return null;
  const head = payload.slice(0, 200);
  const match = /"code":"(HUSH_E_[A-Z_]+)"/.exec(head) ?? /^\{"__type":"([A-Za-z]+)"/.exec(head);
  return match?.[1] ?? null;
}

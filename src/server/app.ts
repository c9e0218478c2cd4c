import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import type { ServerConfig } from '../config/server-config-schema.js';
import { createConsoleServing } from './console/console-serving.js';
import { installAuthGuard } from './plugins/auth-guard.js';
import { frameworkErrorHandler, installErrorHandling } from './plugins/errors.js';
import { effectiveAllowedHosts, installHostCheck } from './plugins/host-check.js';
import { installJsonBody } from './plugins/json-body.js';
import { createServerLogger, installRequestLogging } from './plugins/logging.js';
import { createServerMetrics, installMetrics, type ServerMetrics } from './plugins/metrics.js';
import { installOpenApi } from './plugins/openapi.js';
import { genRequestId, installRequestId } from './plugins/request-id.js';
import { installSealGuard } from './plugins/seal-guard.js';
import type {} from './route-config.js';
import { routeTable } from './routes/route-table.js';
import { sysHealthRoutes } from './routes/sys/sys-health.js';
import { sysSealRoutes } from './routes/sys/sys-seal.js';
import type { ServerDeps } from './server-deps.js';

/** Options that are not configuration: TLS material (read by startServer) and a log sink for tests. */
export interface BuildAppOptions {
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
  readonly logDestination?: DestinationStream;
}

/** The built app plus its metric set (so callers can count things such as audit failures). */
export type HushApp = FastifyInstance & { readonly hushMetrics: ServerMetrics };

/**
 * Build the Hush HTTP app: plugins in a fixed order (request id, errors, metrics, OpenAPI collector, seal guard,
 * auth guard), then the sys routes, then `deps.routes` (the audit plugin), then the route table of `deps.services`. No listening here; `startServer` does that.
 *
 * @example
 * const app = buildApp({ version: '0.1.0', store }, config);
 * const res = await app.inject({ method: 'GET', url: '/v1/sys/health' });
 */
export function buildApp(
  deps: ServerDeps,
  config: Pick<ServerConfig, 'limits' | 'logLevel'> &
    Partial<Pick<ServerConfig, 'listen' | 'allowedHosts' | 'trustedProxies'>>,
  options: BuildAppOptions = {},
): HushApp {
  const logger = createServerLogger(config.logLevel, options.logDestination);
  const app = Fastify({
    loggerInstance: logger,
    genReqId: genRequestId,
    // URLs the router refuses itself (bad %-encoding, over-long names) get the Hush error shape and an audit record.
    frameworkErrors: frameworkErrorHandler(config.limits, deps.audit),
    // installRequestLogging writes one line per request rather than Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    bodyLimit: config.limits.bodyBytes,
    // request.ip is the socket's peer unless that peer is a configured proxy (then X-Forwarded-For's last untrusted hop).
    ...(config.trustedProxies?.length ? { trustProxy: [...config.trustedProxies] } : {}),
    // Fastify's closing-time 503 is not in the Hush error shape; while draining, requests on open connections are
    // served instead (startServer marks those responses Connection: close).
    return503OnClosing: false,
    // Fastify's defaults silently strip unknown fields and coerce "5" to 5; Hush rejects both.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false },
    },
    ...(options.https ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
  }) as unknown as FastifyInstance; // the https variant differs only in its raw server type
  // JSON is the only request body format; anything else is 415 rather than a confusing validation error.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('hushRoute', null);

  const metrics = createServerMetrics(async () => {
    const status = await deps.store.status();
    return !status.initialized || status.sealed;
  });
  installRequestId(app);
  installRequestLogging(app, logger);
  installErrorHandling(app, config.limits);
  // Before the seal and auth guards: a request under a name we do not answer for goes no further.
  installHostCheck(app, effectiveAllowedHosts(config));
  installJsonBody(app);
  installOpenApi(app, deps.version);
  installMetrics(app, metrics);
  for (const add of deps.metrics ?? []) add(metrics.registry);
  installSealGuard(app, deps.store);
  // The web console (server/console): its session cookie stands for its token, so it goes before the one guard.
  const webConsole = createConsoleServing(deps);
  webConsole.installSession(app);
  installAuthGuard(app, deps.auth, deps.audit);
  app.addHook('onSend', (_request, reply, payload, done) => {
    // Responses may carry secrets or one-time material: never let a proxy or browser cache them.
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    // Over TLS, tell browsers never to fall back to plain HTTP for this host (a year, as Vault and most sites do).
    if (options.https) reply.header('strict-transport-security', 'max-age=31536000');
    done(null, payload);
  });

  app.register(sysHealthRoutes(deps.store, deps.version));
  app.register(sysSealRoutes(deps.store));
  app.register(webConsole.staticRoutes);
  for (const routes of deps.routes ?? []) app.register(routes);
  for (const routes of routeTable(deps.services ?? {}, deps)) app.register(routes);
  for (const routes of webConsole.apiRoutes()) app.register(routes);
  app.decorate('hushMetrics', metrics);
  return app as HushApp;
}

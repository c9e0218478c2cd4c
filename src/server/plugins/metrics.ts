import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { routeAuth, routeOf } from '../route-config.js';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Per-app metrics; a fresh registry per app so two servers (or two tests) never share counters. */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly duration: Histogram<'route' | 'method'>;
  readonly denials: Counter<'reason'>;
}

/** Create the metric set; `sealed()` feeds the hush_sealed gauge at scrape time. */
export function createServerMetrics(sealed: () => Promise<boolean>): ServerMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'hush_http_requests_total',
    help: 'HTTP requests by route pattern (never the concrete path), method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'hush_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const denials = new Counter({
    name: 'hush_denials_total',
    help: 'Requests refused for lack of a valid token (unauthenticated) or capability (forbidden)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'hush_sealed',
    help: '1 when the store is sealed (or not initialised), 0 when unsealed',
    registers: [registry],
    async collect() {
      this.set((await sealed()) ? 1 : 0);
    },
  });
  return { registry, requests, duration, denials };
}

/**
 * Count every response by route *pattern* (`/v1/secrets/*`): a concrete path would put secret names in metrics and
 * grow label cardinality without bound. Unknown methods collapse to OTHER for the same reason.
 */
export function installMetrics(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request).url ?? '(unmatched)';
    const method = KNOWN_METHODS.has(request.method) ? request.method : 'OTHER';
    metrics.requests.inc({ route, method, status: String(reply.statusCode) });
    metrics.duration.observe({ route, method }, reply.elapsedTime / 1000);
    if (reply.statusCode === 401) metrics.denials.inc({ reason: 'unauthenticated' });
    if (reply.statusCode === 403) metrics.denials.inc({ reason: 'forbidden' });
    done();
  });
  app.get(
    '/metrics',
    {
      schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['sys'] },
      // Scraped without credentials: counters only, no secret labels.
      config: { auth: routeAuth.public },
    },
    async (_request, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}

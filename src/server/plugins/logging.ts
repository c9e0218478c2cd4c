import type { FastifyInstance } from 'fastify';
import { type DestinationStream, type Logger, pino } from 'pino';

/** Fields never written to the log, wherever they appear (headers carrying credentials; any body). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-hush-token"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-hush-token"]',
  'headers.cookie',
  'body',
  'req.body',
  'res.body',
  'request.body',
  'payload',
];

interface LoggedRequest {
  readonly id?: string;
  readonly method?: string;
  readonly url?: string;
  readonly routeOptions?: { readonly url?: string };
}

/** Log a request by method, path without query string (which could carry a token) and route pattern only. */
function serializeRequest(req: LoggedRequest): Record<string, unknown> {
  return {
    id: req.id,
    method: req.method,
    path: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
    route: req.routeOptions?.url,
  };
}

/** Log a reply by status code only: no headers (Set-Cookie), no payload. */
function serializeReply(res: { readonly statusCode?: number }): Record<string, unknown> {
  return { statusCode: res.statusCode };
}

/**
 * Errors are logged by type, code and stack frames; the message is kept only at debug level, because an unexpected
 * exception's message may quote data (a value, a token) we never meant to write down.
 */
function errorSerializer(debug: boolean) {
  return (err: Error & { code?: unknown }): Record<string, unknown> => {
    const frames = (err.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
    return {
      type: err.name,
      code: typeof err.code === 'string' ? err.code : undefined,
      ...(debug ? { message: err.message } : {}),
      stack: frames.join('\n'),
    };
  };
}

/** Build the server's pino logger with redaction and body-free serializers. */
export function createServerLogger(level: string, destination?: DestinationStream): Logger {
  const debug = level === 'debug' || level === 'trace';
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest, res: serializeReply, err: errorSerializer(debug) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * One log line per request, at completion, instead of Fastify's two (incoming + completed): the line carries the
 * request (method, path without query, route), the status and the response time, through the same serializers and
 * redaction as every other line. Half the per-request log serialisation, and no hook at all when info is off.
 */
export function installRequestLogging(app: FastifyInstance, logger: Pick<Logger, 'isLevelEnabled'>): void {
  if (!logger.isLevelEnabled('info')) return;
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    done();
  });
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Header carrying the request id both ways. */
export const REQUEST_ID_HEADER = 'x-request-id';

// A caller-supplied id is echoed into logs and headers, so only a short, plain token is accepted.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Fastify `genReqId`: reuse a well-formed incoming X-Request-Id (for tracing across proxies), else a random UUID. */
export function genRequestId(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
}

/** Echo the request id on every response, errors and 404s included, so users can quote it in bug reports. */
export function installRequestId(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every request and has nothing to wait for.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}

import type { FastifyPluginAsync } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode, HushError } from '../src/core/errors/index.js';
import { buildApp, type HushApp } from '../src/server/app.js';
import { makeApiFixture } from './api-fixture.js';
import { captureLogs } from './support/capture-logs.js';
import { loopbackClient } from './support/loopback.js';

const LEAKY = 'hunter2-very-secret-value';

const testRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/v1/test/echo',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string' }, count: { type: 'integer' } },
        },
      },
    },
    async (request) => request.body,
  );
  app.get<{ Params: { code: string } }>('/v1/test/throw/:code', async (request) => {
    throw new HushError(request.params.code as ErrorCode, `thrown ${request.params.code}`);
  });
  app.get('/v1/test/crash', async () => {
    throw new Error(`database said ${LEAKY}`);
  });
};

const LIMITS = { bodyBytes: 1024, maxValueBytes: 512 };
let fx: Awaited<ReturnType<typeof makeApiFixture>>;
const apps: HushApp[] = [];
beforeAll(async () => {
  fx = await makeApiFixture();
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
afterAll(async () => fx?.cleanup());

/** The app with the test routes on the real seal control, listening on loopback; its log lines captured. */
async function makeApp() {
  const logs = captureLogs();
  const app = buildApp(
    { version: '9.9.9', store: fx.deps.store, routes: [testRoutes] },
    { limits: LIMITS, logLevel: 'info' },
    { logDestination: logs.stream },
  );
  apps.push(app);
  const http = loopbackClient(await app.listen({ host: '127.0.0.1', port: 0 }));
  return { app, http, logs };
}

describe('error mapping', () => {
  it('malformed JSON -> 400 HUSH_E_USAGE', async () => {
    const { http } = await makeApp();
    const res = await http({
      method: 'POST',
      url: '/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "a",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('HUSH_E_USAGE');
    expect(res.json().error.message).toMatch(/not valid JSON/);
  });

  it('wrong content type -> 415 HUSH_E_UNSUPPORTED_MEDIA', async () => {
    const { http } = await makeApp();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await http({
        method: 'POST',
        url: '/v1/test/echo',
        headers: { 'content-type': type },
        payload: 'name=a',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toEqual({
        error: {
          code: 'HUSH_E_UNSUPPORTED_MEDIA',
          message: 'request body must be JSON; send it with Content-Type: application/json',
          // The catalogue id and hint travel with the message, so clients need not parse the words.
          id: 'REQUEST_BODY_NOT_JSON',
          hint: 'send it with Content-Type: application/json',
        },
      });
    }
  });

  it('over-limit body -> 413 HUSH_E_TOO_LARGE naming the limit', async () => {
    const { http } = await makeApp();
    const res = await http({
      method: 'POST',
      url: '/v1/test/echo',
      payload: { name: 'x'.repeat(LIMITS.bodyBytes + 1) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('HUSH_E_TOO_LARGE');
    expect(res.json().error.details).toEqual({ limitBytes: 1024 });
  });

  it('unknown field -> 400 naming the field (not silently stripped)', async () => {
    const { http } = await makeApp();
    const res = await http({
      method: 'POST',
      url: '/v1/test/echo',
      payload: { name: 'a', colour: 'red' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'HUSH_E_USAGE',
      message: 'body.colour: unknown field; remove it (see /v1/openapi.json)',
    });
  });

  it('wrong type is not coerced, missing field is named', async () => {
    const { http } = await makeApp();
    const coerced = await http({
      method: 'POST',
      url: '/v1/test/echo',
      payload: { name: 'a', count: '5' },
    });
    expect(coerced.statusCode).toBe(400);
    expect(coerced.json().error.message).toBe('body.count: must be integer');
    const missing = await http({ method: 'POST', url: '/v1/test/echo', payload: {} });
    expect(missing.json().error.message).toBe('body.name: required field is missing');
    const ok = await http({ method: 'POST', url: '/v1/test/echo', payload: { name: 'a', count: 5 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ name: 'a', count: 5 });
  });

  it('unknown route -> 404 HUSH_E_NOT_FOUND without echoing the query string', async () => {
    const { http } = await makeApp();
    const res = await http({ method: 'GET', url: '/v1/nope?token=abc123' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('HUSH_E_NOT_FOUND');
    expect(res.body).not.toContain('abc123');
  });

  it('every catalogue code thrown by a route maps to its status and body', async () => {
    const { http } = await makeApp();
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      const res = await http({ method: 'GET', url: `/v1/test/throw/${code}` });
      expect(res.statusCode, code).toBe(entry.status);
      expect(res.json(), code).toEqual({ error: { code, message: `thrown ${code}` } });
    }
  });

  it('a plain Error -> 500 HUSH_E_INTERNAL, message neither returned nor logged', async () => {
    const { http, logs } = await makeApp();
    const res = await http({ method: 'GET', url: '/v1/test/crash' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.error.code).toBe('HUSH_E_INTERNAL');
    expect(res.body).not.toContain(LEAKY);
    expect(body.error.message).toContain(res.headers['x-request-id']);
    expect(logs.text()).toContain('unhandled error');
    expect(logs.text()).not.toContain(LEAKY);
  });

  it('responses are never cacheable', async () => {
    const { http } = await makeApp();
    const res = await http({ method: 'GET', url: '/v1/sys/health' });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('request id', () => {
  it('generates a UUID and echoes it, also on errors', async () => {
    const { http } = await makeApp();
    const a = await http({ method: 'GET', url: '/v1/sys/health' });
    const b = await http({ method: 'GET', url: '/nope' });
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('reuses a well-formed incoming id and replaces a hostile one', async () => {
    const { app, http } = await makeApp();
    const ok = await http({
      method: 'GET',
      url: '/v1/sys/health',
      headers: { 'x-request-id': 'trace-42.a' },
    });
    expect(ok.headers['x-request-id']).toBe('trace-42.a');
    // inject on purpose: Node's HTTP client refuses control characters in a header value; inject hands them to
    // Fastify as a raw socket would.
    const bad = await app.inject({
      method: 'GET',
      url: '/v1/sys/health',
      headers: { 'x-request-id': 'x\u001b[31m<script>' },
    });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

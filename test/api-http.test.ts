import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApiFixture } from './api-fixture.js';

// fastify.inject normalises URLs like a browser (`..` and `%2e%2e` collapse before the server sees them), so
// traversal attempts are sent over a real socket with the path bytes exactly as written.

type Fixture = Awaited<ReturnType<typeof makeApiFixture>>;
let fx: Fixture;
let port: number;

beforeAll(async () => {
  fx = await makeApiFixture();
  await fx.store.put('app/prod/db/password', 'hunter2-value', { actor: 'test' });
  port = Number(new URL((await fx.listen()).url).port);
});
afterAll(async () => {
  await fx.cleanup();
});

function raw(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          'x-hush-token': fx.tokens['user:admin'] ?? '',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('secrets API over a real socket: traversal never reaches the store', () => {
  it.each([
    '/v1/secrets/app/prod/../prod/db/password',
    '/v1/secrets/app/prod/%2e%2e/prod/db/password',
    '/v1/secrets/app/prod/%2E%2E/prod/db/password',
    '/v1/secrets/app/prod/.%2e/prod/db/password',
    '/v1/secrets/app/prod/db/./password',
    '/v1/secrets/app%2fprod%2fdb%2fpassword',
    '/v1/secrets/app/prod/..%2fprod/db/password',
    '/v1/secrets/app//prod/db/password',
    '/v1/metadata/app/prod/%2e%2e/prod/db/password',
    '/v1/list/app/%2e%2e',
    '/v1/export/app/%2e%2e?format=json',
  ])('GET %s is 400 HUSH_E_INVALID_ADDRESS', async (path) => {
    const res = await raw('GET', path);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('HUSH_E_INVALID_ADDRESS');
    expect(res.body).not.toContain('hunter2');
  });

  it('a malformed %-escape is a 400, not a crash', async () => {
    // The router rejects it before any route runs; frameworkErrors turns that into the Hush error shape.
    const res = await raw('GET', '/v1/secrets/app/prod/db/%zz');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('HUSH_E_USAGE');
    expect(res.body).not.toContain('hunter2');
  });

  it('a traversal on a write is refused and nothing is written', async () => {
    const res = await raw('PUT', '/v1/secrets/app/prod/%2e%2e/evil/x', '{"value":"v"}');
    expect(res.status).toBe(400);
    const list = await raw('GET', '/v1/list?recursive=true');
    expect(JSON.parse(list.body).entries.map((e: { path: string }) => e.path)).toEqual([
      'app/prod/db/password',
    ]);
  });
});

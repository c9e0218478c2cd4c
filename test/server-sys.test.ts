import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import {
  captureLogs,
  createFileAudit,
  createTestAuth,
  createTestSealControl,
  TEST_CONFIG,
} from './server-test-helpers.js';

const TOKEN = 'hush_test_token_0123456789abcdef';

const secretRoutes: FastifyPluginAsync = async (app) => {
  app.get('/v1/secrets/*', { config: { requireUnsealed: true } }, async (request) => ({
    path: (request.params as Record<string, string>)['*'],
  }));
};

function makeApp(allowSeal = true) {
  const store = createTestSealControl();
  const auditFile = join(mkdtempSync(join(tmpdir(), 'hush-server-')), 'audit.jsonl');
  const logs = captureLogs();
  const app = buildApp(
    {
      version: '1.2.3',
      store,
      auth: createTestAuth(TOKEN, allowSeal),
      audit: createFileAudit(auditFile),
      routes: [secretRoutes],
    },
    TEST_CONFIG,
    { logDestination: logs.stream },
  );
  return { app, store, auditFile, logs };
}

describe('sys routes and seal guard', () => {
  it('walks init -> unseal -> read -> seal with health and seal-status agreeing', async () => {
    const { app } = makeApp();
    const health0 = await app.inject({ method: 'GET', url: '/v1/sys/health' });
    expect(health0.statusCode).toBe(501);
    expect(health0.json()).toMatchObject({ initialized: false, sealed: true, version: '1.2.3' });

    const guarded0 = await app.inject({ method: 'GET', url: '/v1/secrets/app/prod/db' });
    expect(guarded0.statusCode).toBe(503);
    expect(guarded0.json().error.code).toBe('HUSH_E_NOT_INITIALIZED');

    const init = await app.inject({
      method: 'POST',
      url: '/v1/sys/init',
      payload: { shares: 1, threshold: 1 },
    });
    expect(init.statusCode).toBe(200);
    const share = init.json().shares[0] as string;
    expect(init.json().rootToken).toMatch(/^hush_/);
    const again = await app.inject({ method: 'POST', url: '/v1/sys/init', payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('HUSH_E_ALREADY_INITIALIZED');

    const sealedHealth = await app.inject({ method: 'GET', url: '/v1/sys/health' });
    expect(sealedHealth.statusCode).toBe(503);
    const sealedRead = await app.inject({ method: 'GET', url: '/v1/secrets/app/prod/db' });
    expect(sealedRead.statusCode).toBe(503);
    expect(sealedRead.json()).toEqual({
      error: {
        code: 'HUSH_E_SEALED',
        message:
          'the store is sealed; unseal it with `hush unseal` (POST /v1/sys/unseal on a server), then retry',
        id: 'STORE_SEALED',
        hint: 'unseal it with `hush unseal` (POST /v1/sys/unseal on a server), then retry',
      },
    });

    const wrong = await app.inject({ method: 'POST', url: '/v1/sys/unseal', payload: { shares: ['00'] } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('HUSH_E_UNSEAL_FAILED');
    const unseal = await app.inject({ method: 'POST', url: '/v1/sys/unseal', payload: { shares: [share] } });
    expect(unseal.json()).toMatchObject({ initialized: true, sealed: false });

    const health = await app.inject({ method: 'GET', url: '/v1/sys/health' });
    expect(health.statusCode).toBe(200);
    const read = await app.inject({ method: 'GET', url: '/v1/secrets/app/prod/db' });
    expect(read.json()).toEqual({ path: 'app/prod/db' });

    const seal = await app.inject({
      method: 'POST',
      url: '/v1/sys/seal',
      headers: { 'x-hush-token': TOKEN },
    });
    expect(seal.statusCode).toBe(200);
    expect(seal.json()).toMatchObject({ sealed: true });
    const status = await app.inject({ method: 'GET', url: '/v1/sys/seal-status' });
    expect(status.json()).toMatchObject({ initialized: true, sealed: true, kind: 'shamir' });
  });

  it('init and unseal reject unknown fields', async () => {
    const { app } = makeApp();
    const init = await app.inject({ method: 'POST', url: '/v1/sys/init', payload: { shares: 1, sharez: 2 } });
    expect(init.statusCode).toBe(400);
    expect(init.json().error.message).toContain('body.sharez');
    // `key` is a field now (one share per call); `keys` is not.
    const unseal = await app.inject({ method: 'POST', url: '/v1/sys/unseal', payload: { keys: 'x' } });
    expect(unseal.statusCode).toBe(400);
    expect(unseal.json().error.message).toContain('body.keys');
  });

  it('seal needs a token and the sudo capability; denials are audited and counted', async () => {
    for (const allowSeal of [true, false]) {
      const { app, store, auditFile } = makeApp(allowSeal);
      const { shares } = await store.init({});
      await store.unseal({ shares: shares ?? [] });
      const anon = await app.inject({ method: 'POST', url: '/v1/sys/seal' });
      expect(anon.statusCode).toBe(401);
      expect(anon.json().error.code).toBe('HUSH_E_UNAUTHENTICATED');
      const bearer = await app.inject({
        method: 'POST',
        url: '/v1/sys/seal',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(bearer.statusCode).toBe(allowSeal ? 200 : 403);
      expect((await store.status()).sealed).toBe(allowSeal);
      const audit = readFileSync(auditFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(audit[0]).toMatchObject({
        method: 'POST',
        route: '/v1/sys/seal',
        code: 'HUSH_E_UNAUTHENTICATED',
      });
      expect(audit).toHaveLength(allowSeal ? 1 : 2);
      if (!allowSeal) expect(audit[1]).toMatchObject({ code: 'HUSH_E_FORBIDDEN', callerId: 'accessor-test' });
      expect(JSON.stringify(audit)).not.toContain(TOKEN);
      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toContain('hush_denials_total{reason="unauthenticated"} 1');
      if (!allowSeal) expect(metrics).toContain('hush_denials_total{reason="forbidden"} 1');
    }
  });

  it('checks seal state, then the token, before reading the body', async () => {
    const { app, store } = makeApp();
    const junk = { headers: { 'content-type': 'application/json' }, payload: '{not json' };
    const sealed = await app.inject({ method: 'POST', url: '/v1/sys/seal', ...junk });
    expect(sealed.json().error.code).toBe('HUSH_E_NOT_INITIALIZED');
    const { shares } = await store.init({});
    await store.unseal({ shares: shares ?? [] });
    const anon = await app.inject({ method: 'POST', url: '/v1/sys/seal', ...junk });
    expect(anon.statusCode).toBe(401);
  });

  it('guarded routes fail closed when no authenticator is configured', async () => {
    const store = createTestSealControl({ initialized: true, sealed: false });
    const app = buildApp({ version: '1', store }, TEST_CONFIG, { logDestination: captureLogs().stream });
    const res = await app.inject({ method: 'POST', url: '/v1/sys/seal', headers: { 'x-hush-token': TOKEN } });
    expect(res.statusCode).toBe(401);
    expect((await store.status()).sealed).toBe(false);
  });

  it('a failing audit sink turns a denial into 503 HUSH_E_AUDIT_UNAVAILABLE', async () => {
    const store = createTestSealControl({ initialized: true, sealed: false });
    const audit = createFileAudit(
      join(mkdtempSync(join(tmpdir(), 'hush-server-')), 'missing-dir', 'audit.jsonl'),
    );
    const app = buildApp({ version: '1', store, auth: createTestAuth(TOKEN, true), audit }, TEST_CONFIG, {
      logDestination: captureLogs().stream,
    });
    const res = await app.inject({ method: 'POST', url: '/v1/sys/seal' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('HUSH_E_AUDIT_UNAVAILABLE');
  });
});

describe('metrics', () => {
  it('labels by route pattern, never the concrete path; hush_sealed follows the store', async () => {
    const { app, store } = makeApp();
    const { shares } = await store.init({});
    await store.unseal({ shares: shares ?? [] });
    await app.inject({ method: 'GET', url: '/v1/secrets/payments/prod/stripe-key' });
    await app.inject({ method: 'GET', url: '/v1/secrets/payments/prod/db-password?version=2' });
    await app.inject({ method: 'GET', url: '/v1/not-a-route/sk_live_abcdef' });
    await app.inject({ method: 'PROPFIND', url: '/v1/sys/health' });
    const page = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(page).toContain('hush_http_requests_total{route="/v1/secrets/*",method="GET",status="200"} 2');
    expect(page).toContain('route="(unmatched)"');
    expect(page).toContain('method="OTHER"');
    expect(page).toContain('hush_http_request_duration_seconds_bucket');
    expect(page).toContain('hush_sealed 0');
    for (const leak of ['payments', 'stripe', 'db-password', 'sk_live', 'version=2', 'PROPFIND']) {
      expect(page).not.toContain(leak);
    }
    await store.seal();
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('hush_sealed 1');
  });

  it('two apps keep separate registries', async () => {
    const a = makeApp().app;
    const b = makeApp().app;
    await a.inject({ method: 'GET', url: '/v1/sys/health' });
    const page = (await b.inject({ method: 'GET', url: '/metrics' })).body;
    expect(page).not.toContain('route="/v1/sys/health"');
  });
});

describe('openapi', () => {
  it('documents every registered route with its schemas', async () => {
    const { app } = makeApp();
    const res = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('1.2.3');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/metrics',
      '/v1/openapi.json',
      '/v1/secrets/{path}',
      '/v1/sys/health',
      '/v1/sys/init',
      '/v1/sys/seal',
      '/v1/sys/seal-status',
      '/v1/sys/unseal',
    ]);
    const init = doc.paths['/v1/sys/init'].post;
    expect(init.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(doc.paths['/v1/sys/seal'].post.security).toEqual([{ hushToken: [] }]);
    expect(doc.paths['/v1/secrets/{path}'].get.parameters[0]).toMatchObject({ name: 'path', in: 'path' });
    expect(doc.paths['/v1/sys/health'].get.responses['503']).toBeDefined();
    expect(doc.paths['/v1/sys/health'].head).toBeUndefined();
  });
});

describe('logging', () => {
  it('never logs tokens, cookies, query strings or bodies', async () => {
    const { app, logs } = makeApp();
    const secret = 'init-body-secret-999';
    await app.inject({
      method: 'POST',
      url: `/v1/sys/unseal?token=${secret}q`,
      headers: { authorization: `Bearer ${secret}a`, 'x-hush-token': `${secret}x`, cookie: `s=${secret}c` },
      payload: { shares: [`${secret}b`] },
    });
    const init = await app.inject({ method: 'POST', url: '/v1/sys/init', payload: {} });
    const text = logs.text();
    expect(text).toContain('/v1/sys/unseal');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(init.json().rootToken);
    expect(text).not.toContain(init.json().shares[0]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { type ApiFixtureOptions, as, makeApiFixture } from './api-fixture.js';
import { captureLogs } from './support/capture-logs.js';
import { type LoopbackReply, type LoopbackRequest, loopbackClient } from './support/loopback.js';

// The sys routes, seal guard, metrics, OpenAPI document and request logging of the real composition (`hush server`'s
// openServerDeps: SQLite file, real seal, identity, JSONL audit), over real HTTP on loopback.

type Fixture = Awaited<ReturnType<typeof makeApiFixture>>;
const fixtures: Fixture[] = [];
const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const fx of fixtures.splice(0)) await fx.cleanup();
});

async function fixture(options: ApiFixtureOptions = {}): Promise<Fixture> {
  const fx = await makeApiFixture(options);
  fixtures.push(fx);
  return fx;
}

/** A store that is not initialised yet, with a 2-of-2 Shamir seal (the smallest; unseal takes material). */
const SHAMIR = { kind: 'shamir', shares: 2, threshold: 2 };
const uninitialisedShamir = () => fixture({ uninitialized: true, seal: SHAMIR });

/**
 * Another app on the fixture's deps, listening on loopback: for what a test must see per app instance (its log
 * lines, its metrics registry, deps without an authenticator).
 */
async function ownApp(
  fx: Fixture,
  deps: Parameters<typeof buildApp>[0] = fx.deps,
): Promise<{ http: (r: LoopbackRequest) => Promise<LoopbackReply>; logs: ReturnType<typeof captureLogs> }> {
  const logs = captureLogs();
  const app = buildApp(deps, { limits: fx.limits, logLevel: 'info' }, { logDestination: logs.stream });
  apps.push(app);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { http: loopbackClient(url), logs };
}

const outcomes = (fx: Fixture) => fx.records().filter((r) => r.outcome !== 'requested');

describe('sys routes and seal guard', () => {
  it('walks init -> unseal -> read -> seal with health and seal-status agreeing', async () => {
    const fx = await uninitialisedShamir();
    const health0 = await fx.http({ url: '/v1/sys/health' });
    expect(health0.statusCode).toBe(501);
    expect(health0.json()).toMatchObject({ initialized: false, sealed: true, version: expect.any(String) });

    const guarded0 = await fx.http({ url: '/v1/secrets/app/prod/db' });
    expect(guarded0.statusCode).toBe(503);
    expect(guarded0.json().error.code).toBe('HUSH_E_NOT_INITIALIZED');

    const init = await fx.http({ method: 'POST', url: '/v1/sys/init', payload: {} });
    expect(init.statusCode, init.body).toBe(200);
    const [first, second] = init.json().shares as [string, string];
    const root = as(init.json().rootToken as string);
    expect(init.json().rootToken).toMatch(/^hush_/);
    const again = await fx.http({ method: 'POST', url: '/v1/sys/init', payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('HUSH_E_ALREADY_INITIALIZED');

    // Init leaves the store unsealed: the operator who just got the shares can write at once.
    expect((await fx.http({ url: '/v1/sys/health' })).statusCode).toBe(200);
    const put = await fx.http({
      method: 'PUT',
      url: '/v1/secrets/app/prod/db',
      payload: { value: 'v' },
      headers: root,
    });
    expect(put.statusCode, put.body).toBe(200);
    const seal = await fx.http({ method: 'POST', url: '/v1/sys/seal', headers: root });
    expect(seal.statusCode).toBe(200);
    expect(seal.json()).toMatchObject({ sealed: true });
    const status = await fx.http({ url: '/v1/sys/seal-status' });
    expect(status.json()).toMatchObject({ initialized: true, sealed: true, kind: 'shamir' });

    const sealedHealth = await fx.http({ url: '/v1/sys/health' });
    expect(sealedHealth.statusCode).toBe(503);
    const sealedRead = await fx.http({ url: '/v1/secrets/app/prod/db', headers: root });
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

    const wrong = await fx.http({ method: 'POST', url: '/v1/sys/unseal', payload: { key: '00' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('HUSH_E_UNSEAL_FAILED');
    const half = await fx.http({ method: 'POST', url: '/v1/sys/unseal', payload: { key: first } });
    expect(half.json()).toMatchObject({ initialized: true, sealed: true, progress: 1 });
    const unseal = await fx.http({ method: 'POST', url: '/v1/sys/unseal', payload: { key: second } });
    expect(unseal.json()).toMatchObject({ initialized: true, sealed: false });
    expect((await fx.http({ url: '/v1/sys/health' })).statusCode).toBe(200);
    const read = await fx.http({ url: '/v1/secrets/app/prod/db', headers: root });
    expect(read.json()).toMatchObject({ path: 'app/prod/db', value: 'v' });
  });

  it('init and unseal reject unknown fields', async () => {
    const fx = await uninitialisedShamir();
    const init = await fx.http({ method: 'POST', url: '/v1/sys/init', payload: { shares: 1, sharez: 2 } });
    expect(init.statusCode).toBe(400);
    expect(init.json().error.message).toContain('body.sharez');
    // `key` is a field (one share per call); `keys` is not.
    const unseal = await fx.http({ method: 'POST', url: '/v1/sys/unseal', payload: { keys: 'x' } });
    expect(unseal.statusCode).toBe(400);
    expect(unseal.json().error.message).toContain('body.keys');
  });

  it('seal needs a token and the sudo capability; denials are audited and counted', async () => {
    const fx = await fixture();
    const anon = await fx.http({ method: 'POST', url: '/v1/sys/seal' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('HUSH_E_UNAUTHENTICATED');
    const nobody = fx.tokens['user:nobody'] ?? '';
    const bearer = await fx.http({
      method: 'POST',
      url: '/v1/sys/seal',
      headers: { authorization: `Bearer ${nobody}` },
    });
    expect(bearer.statusCode).toBe(403);
    expect(fx.store.isSealed()).toBe(false);
    expect(outcomes(fx).map((r) => [r.operation, r.outcome, r.errorCode, r.identity ?? null])).toEqual([
      ['sys.seal', 'denied', 'HUSH_E_UNAUTHENTICATED', null],
      ['sys.seal', 'denied', 'HUSH_E_FORBIDDEN', 'user:nobody'],
    ]);
    const metrics = (await fx.http({ url: '/metrics' })).body;
    expect(metrics).toContain('hush_denials_total{reason="unauthenticated"} 1');
    expect(metrics).toContain('hush_denials_total{reason="forbidden"} 1');
    const admin = await fx.http({
      method: 'POST',
      url: '/v1/sys/seal',
      headers: as(fx.tokens['user:admin']),
    });
    expect(admin.statusCode).toBe(200);
    expect(fx.store.isSealed()).toBe(true);
    const audit = JSON.stringify(fx.records());
    for (const token of Object.values(fx.tokens)) expect(audit).not.toContain(token);
  });

  it('checks seal state, then the token, before reading the body', async () => {
    const junk = { headers: { 'content-type': 'application/json' }, payload: '{not json' };
    const fresh = await uninitialisedShamir();
    const notInit = await fresh.http({ method: 'POST', url: '/v1/sys/seal', ...junk });
    expect(notInit.json().error.code).toBe('HUSH_E_NOT_INITIALIZED');
    const fx = await fixture();
    const anon = await fx.http({ method: 'POST', url: '/v1/sys/seal', ...junk });
    expect(anon.statusCode).toBe(401);
  });

  it('guarded routes fail closed when no authenticator is configured', async () => {
    const fx = await fixture();
    // `hush server` always composes an authenticator; an app built without one must still refuse.
    const { http } = await ownApp(fx, { version: '1', store: fx.deps.store });
    const res = await http({ method: 'POST', url: '/v1/sys/seal', headers: as(fx.tokens['user:admin']) });
    expect(res.statusCode).toBe(401);
    expect(fx.store.isSealed()).toBe(false);
  });

  it('a failing audit sink turns a denial into 503 HUSH_E_AUDIT_UNAVAILABLE', async () => {
    const fx = await fixture({ brokenAudit: true });
    const res = await fx.http({ method: 'POST', url: '/v1/sys/seal' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('HUSH_E_AUDIT_UNAVAILABLE');
  });
});

describe('metrics', () => {
  it('labels by route pattern, never the concrete path; hush_sealed follows the store', async () => {
    const fx = await fixture();
    const admin = as(fx.tokens['user:admin']);
    await fx.store.put('payments/prod/stripe-key', 'v', { actor: 'test' });
    await fx.http({ url: '/v1/secrets/payments/prod/stripe-key', headers: admin });
    await fx.http({ url: '/v1/secrets/payments/prod/stripe-key?version=1', headers: admin });
    await fx.http({ url: '/v1/not-a-route/sk_live_abcdef' });
    await fx.http({ method: 'PROPFIND', url: '/v1/sys/health' });
    const page = (await fx.http({ url: '/metrics' })).body;
    expect(page).toMatch(/hush_http_requests_total\{route="\/v1\/secrets\/\*",method="GET",status="200"\} 2/);
    expect(page).toContain('route="(unmatched)"');
    expect(page).toContain('method="OTHER"');
    expect(page).toContain('hush_http_request_duration_seconds_bucket');
    expect(page).toContain('hush_sealed 0');
    for (const leak of ['payments', 'stripe', 'sk_live', 'version=1', 'PROPFIND']) {
      expect(page).not.toContain(leak);
    }
    await fx.store.seal();
    expect((await fx.http({ url: '/metrics' })).body).toContain('hush_sealed 1');
  });

  it('two apps keep separate registries', async () => {
    const fx = await fixture();
    const a = await ownApp(fx);
    const b = await ownApp(fx);
    await a.http({ url: '/v1/sys/health' });
    const page = (await b.http({ url: '/metrics' })).body;
    expect(page).not.toContain('route="/v1/sys/health"');
  });
});

describe('openapi', () => {
  it('documents every registered route with its schemas', async () => {
    const fx = await fixture();
    const res = await fx.http({ url: '/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toEqual(expect.any(String));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/metrics',
        '/v1/openapi.json',
        '/v1/secrets/{path}',
        '/v1/sys/health',
        '/v1/sys/init',
        '/v1/sys/seal',
        '/v1/sys/seal-status',
        '/v1/sys/unseal',
      ]),
    );
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
    const fx = await uninitialisedShamir();
    const { http, logs } = await ownApp(fx);
    const secret = 'init-body-secret-999';
    await http({
      method: 'POST',
      url: `/v1/sys/unseal?token=${secret}q`,
      headers: { authorization: `Bearer ${secret}a`, 'x-hush-token': `${secret}x`, cookie: `s=${secret}c` },
      payload: { key: `${secret}b` },
    });
    const init = await http({ method: 'POST', url: '/v1/sys/init', payload: {} });
    expect(init.statusCode, init.body).toBe(200);
    const text = logs.text();
    expect(text).toContain('/v1/sys/unseal');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(init.json().rootToken);
    expect(text).not.toContain(init.json().shares[0]);
  });
});

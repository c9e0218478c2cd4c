import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkerOf, routeAuth } from '../src/server/route-config.js';
import { as, makeApiFixture } from './api-fixture.js';

// The one auth guard (src/server/plugins/auth-guard.ts) applies each route's declared `config.auth`: these check the
// order it keeps (validation, then the capability on the derived path, as the in-route checks did) and the fence
// around the per-item checker, over the production composition.

let fx: Awaited<ReturnType<typeof makeApiFixture>>;

beforeAll(async () => {
  fx = await makeApiFixture();
  // A per-item route that checks a capability it never declared: a programming mistake, refused by the checker.
  fx.app.post('/v1/test/undeclared', { config: { auth: routeAuth.perItem('read') } }, async (request) => {
    await checkerOf(request).require('app/prod/k', 'update');
    return { ok: true };
  });
  await fx.app.ready();
});
afterAll(async () => {
  await fx?.cleanup();
});

describe('the auth guard', () => {
  it('checks a derived path after validation: a bad name is 400 even for a caller without the capability', async () => {
    const nobody = as(fx.tokens['user:nobody']);
    const bad = await fx.http({ url: '/v1/sys/policies/Not%20A%20Name', headers: nobody });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'HUSH_E_USAGE']);
    const denied = await fx.http({ url: '/v1/sys/policies/default', headers: nobody });
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'HUSH_E_FORBIDDEN']);
  });

  it('records a denied write on a derived path as before: requested, then denied with who and where', async () => {
    const before = fx.records().length;
    const res = await fx.http({
      method: 'POST',
      url: '/v1/secrets-rollback/app/prod/db/password',
      headers: as(fx.tokens['user:db-reader']),
      payload: { version: 1 },
    });
    expect(res.statusCode).toBe(403);
    const records = fx.records().slice(before);
    expect(records.map((r) => [r.operation, r.outcome])).toEqual([
      ['secrets.rollback', 'requested'],
      ['secrets.rollback', 'denied'],
    ]);
    expect(records[1]).toMatchObject({
      identity: 'user:db-reader',
      path: 'app/prod/db/password',
      errorCode: 'HUSH_E_FORBIDDEN',
    });
  });

  it('a per-item checker refuses a capability its route did not declare', async () => {
    const res = await fx.app.inject({
      method: 'POST',
      url: '/v1/test/undeclared',
      headers: as(fx.tokens['user:admin']),
    });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('"ok"');
  });
});

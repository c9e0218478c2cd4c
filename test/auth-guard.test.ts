import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHushError } from '../src/core/errors/index.js';
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
  // A signed route (as the AWS endpoint's SigV4): its "signature" here is a token in a header of its own, checked by
  // the route's declared authenticator; a refusal is audited with the scheme's code; the handler checks with the
  // guard's checker.
  fx.app.post(
    '/v1/test/signed',
    {
      config: {
        auth: routeAuth.signed(
          'test-scheme',
          {
            authenticate: async (request) =>
              fx.identity.auth.authenticate(request.headers['x-test-signed-by'] as string),
            denialOf: (err) =>
              isHushError(err, 'HUSH_E_UNAUTHENTICATED') ? { code: 'TestSignatureRefused' } : undefined,
          },
          'read',
          'update',
        ),
      },
    },
    async (request) => {
      const { capability } = request.query as { capability: string };
      await checkerOf(request).require('app/prod/db/password', capability);
      return { ok: true };
    },
  );
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

  it('a signed route: the scheme authenticates before the requested record, the one checker authorises', async () => {
    const signed = (by: string, capability: string) =>
      fx.app.inject({
        method: 'POST',
        url: `/v1/test/signed?capability=${capability}`,
        headers: { 'x-test-signed-by': by },
      });
    let before = fx.records().length;
    const refused = await signed('not-a-token', 'read');
    expect(refused.statusCode).toBe(401);
    expect(
      fx
        .records()
        .slice(before)
        .map((r) => [r.outcome, r.errorCode]),
    ).toEqual([['denied', 'TestSignatureRefused']]);

    before = fx.records().length;
    expect((await signed(fx.tokens['user:db-reader'] ?? '', 'read')).json()).toEqual({ ok: true });
    const allowed = fx.records().slice(before);
    expect(allowed.map((r) => [r.outcome, r.identity])).toEqual([
      ['requested', 'user:db-reader'],
      ['allowed', 'user:db-reader'],
    ]);

    before = fx.records().length;
    const forbidden = await signed(fx.tokens['user:db-reader'] ?? '', 'update');
    expect(forbidden.statusCode).toBe(403);
    expect(
      fx
        .records()
        .slice(before)
        .map((r) => [r.outcome, r.errorCode]),
    ).toEqual([
      ['requested', null],
      ['denied', 'HUSH_E_FORBIDDEN'],
    ]);
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

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HushError } from '../src/core/errors/hush-error.js';
import { createIncidentService } from '../src/incident/incident-service.js';
import { call, makeIdentityEnv } from './identity-support.js';

type Env = Awaited<ReturnType<typeof makeIdentityEnv>>;
let env: Env;
beforeEach(async () => {
  env = await makeIdentityEnv();
});
afterEach(async () => env.cleanup());

const readPayments = {
  rules: [
    { path: 'payments/**', capabilities: ['read', 'list'] },
    { path: 'payments/prod/db/root', capabilities: ['deny'] },
  ],
};

async function tokenWith(policies: string[], extra: Record<string, unknown> = {}) {
  const res = await call(env.app, 'POST', '/v1/auth/token/create', env.rootToken, { policies, ...extra });
  expect(res.status).toBe(200);
  return res.json as { token: string; auth: { accessor: string; policies: string[] } };
}

describe('token endpoints', () => {
  it('401 without, with a malformed, or with an unknown token; the reply never echoes it', async () => {
    const none = await call(env.app, 'GET', '/v1/auth/token/lookup-self');
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('HUSH_E_UNAUTHENTICATED');
    const fake = `hush_s_${'A'.repeat(49)}`;
    const bad = await call(env.app, 'GET', '/v1/auth/token/lookup-self', fake);
    expect(bad.status).toBe(401);
    expect(bad.json.error.message).toMatch(/checksum/);
    expect(JSON.stringify(bad.json)).not.toContain(fake);
    const t = await tokenWith(['x']);
    await call(env.app, 'POST', '/v1/auth/token/revoke-self', t.token);
    const gone = await call(env.app, 'GET', '/v1/auth/token/lookup-self', t.token);
    expect(gone.status).toBe(401);
    expect(gone.json.error.message).toMatch(/revoked/);
    const bearer = await env.app.inject({
      method: 'GET',
      url: '/v1/auth/token/lookup-self',
      headers: { authorization: `Bearer ${env.rootToken}` },
    });
    expect(bearer.statusCode).toBe(200);
  });

  it('create returns the token once; lookups never do', async () => {
    const t = await tokenWith(['x'], {
      ttl: '1h',
      numUses: 5,
      displayName: 'deployer',
      metadata: { team: 'a' },
    });
    expect(t.token).toMatch(/^hush_s_/);
    const self = await call(env.app, 'GET', '/v1/auth/token/lookup-self', t.token);
    expect(self.status).toBe(200);
    expect(self.json).toMatchObject({
      policies: ['x'],
      displayName: 'deployer',
      usesRemaining: 4,
      ttlSeconds: 3600,
    });
    expect(JSON.stringify(self.json)).not.toContain('hush_');
    const byAcc = await call(env.app, 'POST', '/v1/auth/token/lookup', env.rootToken, {
      accessor: t.auth.accessor,
    });
    expect(byAcc.status).toBe(200);
    expect(byAcc.json.accessor).toBe(t.auth.accessor);
    expect(JSON.stringify(byAcc.json)).not.toContain(t.token);
  });

  it('a lease step that fails after the tokens are revoked still answers 200, saying what is left to do', async () => {
    const failing = await makeIdentityEnv({
      revokeDependents: async () => {
        throw new HushError('HUSH_E_STORAGE', 'the leases could not be read (database is locked)');
      },
    });
    try {
      const created = await call(failing.app, 'POST', '/v1/auth/token/create', failing.rootToken, {
        policies: ['x'],
      });
      const accessor = created.json.auth.accessor as string;
      const res = await call(failing.app, 'POST', '/v1/auth/token/revoke-accessor', failing.rootToken, {
        accessor,
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ revoked: [accessor], leasesRevoked: [], leasesQueued: [] });
      expect(res.json.leasesError).toMatch(
        /^the tokens were revoked, but their leases could not be \(the leases could not be read \(database is locked\)\); revoke them with hush lease revoke --prefix creds\/ or hush incident revoke$/,
      );
      expect((await call(failing.app, 'GET', '/v1/auth/token/lookup-self', created.json.token)).status).toBe(
        401,
      );
      expect(failing.logs.text()).toContain('lease revocation after token revoke failed');
    } finally {
      await failing.cleanup();
    }
  });

  it("a token minted with the root token acts for token:<name>, never as root; a child acts for its parent's identity", async () => {
    const identityOf = async (token: string) =>
      (await call(env.app, 'GET', '/v1/auth/token/lookup-self', token)).json.identity;
    const named = await tokenWith(['x'], { displayName: 'ci-deployer' });
    expect(await identityOf(named.token)).toBe('token:ci-deployer');
    // A display name that could break an audit line or alert message is not made part of the identity.
    const odd = await tokenWith(['x'], { displayName: 'two words' });
    expect(await identityOf(odd.token)).toBe(`token:${odd.auth.accessor}`);
    const child = await call(env.app, 'POST', '/v1/auth/token/create', named.token, { displayName: 'other' });
    expect(child.status).toBe(200);
    expect(await identityOf(child.json.token)).toBe('token:ci-deployer');
    expect(await identityOf(env.rootToken)).toBe('root');
  });

  it('tokens minted without a display name each act for an identity of their own; children act for their parent', async () => {
    const identityOf = async (token: string) =>
      (await call(env.app, 'GET', '/v1/auth/token/lookup-self', token)).json.identity as string;
    const appA = await tokenWith(['x']);
    const appB = await tokenWith(['x']);
    expect(await identityOf(appA.token)).toBe(`token:${appA.auth.accessor}`);
    expect(await identityOf(appB.token)).toBe(`token:${appB.auth.accessor}`);
    // A display name copying another token's accessor does not take its identity.
    const mimic = await tokenWith(['x'], { displayName: appA.auth.accessor });
    expect(await identityOf(mimic.token)).toBe(`token:${mimic.auth.accessor}`);
    const childOfA = await call(env.app, 'POST', '/v1/auth/token/create', appA.token, {});
    expect(await identityOf(childOfA.json.token)).toBe(`token:${appA.auth.accessor}`);
    // `incident revoke --identity` of one app no longer hits the other.
    const incident = createIncidentService({
      tokens: env.services.tokens,
      secrets: { list: async () => ({ entries: [] }) },
      lockdown: async () => undefined,
      auditRecords: async function* () {},
    });
    const res = await incident.revokeIdentity(`token:${appA.auth.accessor}`);
    expect(res.tokensRevoked.sort()).toEqual([appA.auth.accessor, childOfA.json.auth.accessor].sort());
    expect((await call(env.app, 'GET', '/v1/auth/token/lookup-self', appB.token)).status).toBe(200);
    expect((await call(env.app, 'GET', '/v1/auth/token/lookup-self', appA.token)).status).toBe(401);
  });

  it('a child token cannot widen its policies (403) and an unprivileged token cannot look up others (403)', async () => {
    const t = await tokenWith(['x']);
    const wider = await call(env.app, 'POST', '/v1/auth/token/create', t.token, { policies: ['x', 'y'] });
    expect(wider.status).toBe(403);
    expect(wider.json.error.message).toMatch(/remove "y"/);
    const look = await call(env.app, 'POST', '/v1/auth/token/lookup', t.token, { accessor: t.auth.accessor });
    expect(look.status).toBe(403);
    expect(look.json.error.message).toBe(
      `token ${t.auth.accessor} lacks read on auth/token/lookup (no rule grants it)`,
    );
  });

  it('renew-self is capped at the max TTL; renew by accessor works for the privileged', async () => {
    const t = await tokenWith(['x'], { ttl: '10m', maxTtl: '15m' });
    env.time.advance(8 * 60_000);
    const r = await call(env.app, 'POST', '/v1/auth/token/renew-self', t.token, { increment: '1h' });
    expect(r.status).toBe(200);
    expect(r.json.ttlSeconds).toBe(7 * 60);
    const r2 = await call(env.app, 'POST', '/v1/auth/token/renew', env.rootToken, {
      accessor: t.auth.accessor,
    });
    expect(r2.status).toBe(200);
    expect(r2.json.expiresAt).toBe(r.json.expiresAt);
  });

  it('revoke-accessor cascades to children', async () => {
    const parent = await tokenWith(['x']);
    const child = await call(env.app, 'POST', '/v1/auth/token/create', parent.token, {});
    expect(child.status).toBe(200);
    expect(child.json.auth.parentAccessor).toBe(parent.auth.accessor);
    const rev = await call(env.app, 'POST', '/v1/auth/token/revoke-accessor', env.rootToken, {
      accessor: parent.auth.accessor,
    });
    expect(rev.json.revoked).toEqual([parent.auth.accessor, child.json.auth.accessor]);
    expect((await call(env.app, 'GET', '/v1/auth/token/lookup-self', child.json.token)).status).toBe(401);
  });

  it('a one-use token works once, then is gone', async () => {
    const t = await tokenWith(['x'], { numUses: 1 });
    const first = await call(env.app, 'GET', '/v1/auth/token/lookup-self', t.token);
    expect(first.status).toBe(200);
    expect(first.json.usesRemaining).toBe(0);
    expect((await call(env.app, 'GET', '/v1/auth/token/lookup-self', t.token)).status).toBe(401);
  });

  it('revoking a token still reaches the descendants of a used-up token below it', async () => {
    const ok = async (token: string) =>
      (await call(env.app, 'GET', '/v1/auth/token/lookup-self', token)).status;
    const revoke = async (accessor: string) =>
      call(env.app, 'POST', '/v1/auth/token/revoke-accessor', env.rootToken, { accessor });
    // A (unlimited) -> B (2 uses) -> C (1 use); B then spends its last use on a read and is retired.
    const a = await tokenWith(['x']);
    const b = await call(env.app, 'POST', '/v1/auth/token/create', a.token, { numUses: 2 });
    const c = await call(env.app, 'POST', '/v1/auth/token/create', b.json.token, { numUses: 1 });
    expect(c.status).toBe(200);
    expect(await ok(b.json.token)).toBe(200); // B's last use
    expect(await ok(b.json.token)).toBe(401);
    // A (unlimited) -> D (1 use) -> E: D's last use is the create itself.
    const d = await call(env.app, 'POST', '/v1/auth/token/create', a.token, { numUses: 1 });
    const e = await call(env.app, 'POST', '/v1/auth/token/create', d.json.token, {});
    expect(e.status).toBe(200);
    // A (unlimited) -> F (2 uses) -> G takes both: F hands over its last use with this create.
    const f = await call(env.app, 'POST', '/v1/auth/token/create', a.token, { numUses: 2 });
    const g = await call(env.app, 'POST', '/v1/auth/token/create', f.json.token, {});
    expect(g.json.auth.usesRemaining).toBe(2);
    // Revoking the used-up D by its accessor still revokes the child it minted with its last use.
    const byD = await revoke(d.json.auth.accessor);
    expect(byD.status).toBe(200);
    expect(byD.json.revoked).toEqual([e.json.auth.accessor]);
    expect(await ok(e.json.token)).toBe(401);
    const revoked = (await revoke(a.auth.accessor)).json;
    expect(revoked.revoked).toEqual(expect.arrayContaining([c.json.auth.accessor, g.json.auth.accessor]));
    expect(await ok(c.json.token)).toBe(401);
    expect(await ok(e.json.token)).toBe(401);
    expect(await ok(g.json.token)).toBe(401);
  });

  it('a use-limited token shares its uses with its children: never unlimited, never more than it has left', async () => {
    const reads = async (token: string, times: number) => {
      let ok = 0;
      for (let i = 0; i < times; i += 1)
        if ((await call(env.app, 'GET', '/v1/auth/token/lookup-self', token)).status === 200) ok += 1;
      return ok;
    };
    // The report: a two-use parent minted a child with unlimited uses (10 of 10 reads went through).
    const two = await tokenWith(['x'], { numUses: 2, ttl: '10m' });
    const child = await call(env.app, 'POST', '/v1/auth/token/create', two.token, { ttl: '1h' });
    expect(child.status).toBe(200);
    expect(child.json.auth.usesRemaining).toBe(2);
    // ... and at most the parent's remaining TTL (it asked for 1 h; the parent had 10 min).
    const parentEnd = Date.parse((two.auth as unknown as { expiresAt: string }).expiresAt);
    expect(Date.parse(child.json.auth.expiresAt)).toBe(parentEnd);
    expect(Date.parse(child.json.auth.maxExpiresAt)).toBeLessThanOrEqual(parentEnd);
    expect((await reads(child.json.token, 10)) + (await reads(two.token, 10))).toBe(2);

    // Asking for more than the parent has left is refused (that request still counts: 3 -> 2 left); a child may take
    // part of the uses, and the parent keeps the rest.
    const three = await tokenWith(['x'], { numUses: 3 });
    const greedy = await call(env.app, 'POST', '/v1/auth/token/create', three.token, { numUses: 5 });
    expect(greedy.status).toBe(403);
    expect(greedy.json.error.message).toMatch(/at most the 3 use\(s\) its parent has left/);
    const part = await call(env.app, 'POST', '/v1/auth/token/create', three.token, { numUses: 1 });
    expect(part.json.auth.usesRemaining).toBe(1);
    expect(await reads(part.json.token, 5)).toBe(1);
    expect(await reads(three.token, 5)).toBe(1);

    // A parent's last use may be a token create: it succeeds and the child gets that use.
    const one = await tokenWith(['x'], { numUses: 1 });
    const last = await call(env.app, 'POST', '/v1/auth/token/create', one.token, {});
    expect(last.status).toBe(200);
    expect(last.json.auth.usesRemaining).toBe(1);
    expect(last.json.auth.parentAccessor).toBe(one.auth.accessor);
    expect(await reads(one.token, 3)).toBe(0);
    expect(await reads(last.json.token, 3)).toBe(1);
  });

  it('a token served from the warm record cache still expires, runs out of uses and dies on revoke at once', async () => {
    // Repeated uses warm the read cache and the decrypted-record cache, so later checks take the synchronous path.
    const warm = async (token: string, times = 3) => {
      for (let i = 0; i < times; i += 1)
        expect((await call(env.app, 'GET', '/v1/auth/token/lookup-self', token)).status).toBe(200);
    };
    const revoked = await tokenWith(['x']);
    await warm(revoked.token);
    await call(env.app, 'POST', '/v1/auth/token/revoke-accessor', env.rootToken, {
      accessor: revoked.auth.accessor,
    });
    expect((await call(env.app, 'GET', '/v1/auth/token/lookup-self', revoked.token)).status).toBe(401);

    const limited = await tokenWith(['x'], { numUses: 4 });
    await warm(limited.token);
    const last = await call(env.app, 'GET', '/v1/auth/token/lookup-self', limited.token);
    expect(last.json.usesRemaining).toBe(0);
    expect((await call(env.app, 'GET', '/v1/auth/token/lookup-self', limited.token)).status).toBe(401);

    const shortLived = await tokenWith(['x'], { ttl: '10m' });
    await warm(shortLived.token);
    env.time.advance(10 * 60_000);
    const expired = await call(env.app, 'GET', '/v1/auth/token/lookup-self', shortLived.token);
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toMatch(/expired/);
  });

  it('a policy rewritten while its compiled form is cached applies to the next request', async () => {
    const lister = { rules: [{ path: 'sys/policies', capabilities: ['list'] }] };
    expect((await call(env.app, 'PUT', '/v1/sys/policies/lister', env.rootToken, lister)).status).toBe(200);
    const t = await tokenWith(['lister']);
    for (let i = 0; i < 3; i += 1)
      expect((await call(env.app, 'GET', '/v1/sys/policies', t.token)).status).toBe(200);
    await call(env.app, 'PUT', '/v1/sys/policies/lister', env.rootToken, {
      rules: [{ path: 'sys/**', capabilities: ['deny'] }],
    });
    const denied = await call(env.app, 'GET', '/v1/sys/policies', t.token);
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toMatch(/deny rule/);
  });

  it('strict bodies: unknown fields and bad durations are 400', async () => {
    const r = await call(env.app, 'POST', '/v1/auth/token/create', env.rootToken, { policy: ['x'] });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/body\.policy: unknown field/);
    const d = await call(env.app, 'POST', '/v1/auth/token/create', env.rootToken, { ttl: '1 hour' });
    expect(d.status).toBe(400);
  });
});

describe('policy endpoints, explain and who-can', () => {
  it('write, read, list, delete; root is immutable; invalid documents say where', async () => {
    const put = await call(env.app, 'PUT', '/v1/sys/policies/payments-read', env.rootToken, readPayments);
    expect(put.status).toBe(200);
    expect(put.json.name).toBe('payments-read');
    const get = await call(env.app, 'GET', '/v1/sys/policies/payments-read', env.rootToken);
    expect(get.json.rules).toHaveLength(2);
    const list = await call(env.app, 'GET', '/v1/sys/policies', env.rootToken);
    expect(list.json.policies).toEqual(['payments-read', 'root']);
    const root = await call(env.app, 'PUT', '/v1/sys/policies/root', env.rootToken, readPayments);
    expect(root.status).toBe(403);
    const invalid = await call(env.app, 'PUT', '/v1/sys/policies/bad', env.rootToken, {
      rules: [{ path: 'a/**', capabilities: ['raed'] }],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.message).toMatch(/rules\[0\]\.capabilities\[0\]: unknown capability "raed"/);
    expect((await call(env.app, 'DELETE', '/v1/sys/policies/payments-read', env.rootToken)).status).toBe(204);
    expect((await call(env.app, 'GET', '/v1/sys/policies/payments-read', env.rootToken)).status).toBe(404);
  });

  it('authorisation follows policies: 403 with the reason, deny wins, sudo maps to admin', async () => {
    await call(env.app, 'PUT', '/v1/sys/policies/payments-read', env.rootToken, readPayments);
    await call(env.app, 'PUT', '/v1/sys/policies/policy-admin', env.rootToken, {
      rules: [{ path: 'sys/policies/**', capabilities: ['admin'] }],
    });
    const reader = await tokenWith(['payments-read']);
    const denied = await call(env.app, 'GET', '/v1/sys/policies', reader.token);
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toContain(`token ${reader.auth.accessor} lacks list on sys/policies`);
    const admin = await tokenWith(['policy-admin']);
    expect((await call(env.app, 'GET', '/v1/sys/policies', admin.token)).status).toBe(200);
    // The framework's seal route asks 'sudo' on sys/seal: policy-admin has no rule there.
    const seal = await call(env.app, 'POST', '/v1/sys/seal', admin.token);
    expect(seal.status).toBe(403);
    expect(seal.json.error.message).toContain('lacks sudo on sys/seal');
    const sealRoot = await call(env.app, 'POST', '/v1/sys/seal', env.rootToken);
    expect(sealRoot.status).toBe(200);
    expect(sealRoot.json.sealed).toBe(true);
  });

  it('explain names the deciding rule; for another token it needs read on sys/policies/explain', async () => {
    await call(env.app, 'PUT', '/v1/sys/policies/payments-read', env.rootToken, readPayments);
    const reader = await tokenWith(['payments-read']);
    const self = await call(env.app, 'POST', '/v1/sys/policies/explain', reader.token, {
      path: 'payments/prod/db/root',
      capability: 'read',
    });
    expect(self.status).toBe(200);
    expect(self.json.decision.allowed).toBe(false);
    expect(self.json.decision.reason).toMatch(/rule 1 of policy "payments-read" .* is a deny rule/);
    expect(self.json.rules.map((r: { outcome: string }) => r.outcome)).toEqual(['grants', 'denies']);
    const other = await call(env.app, 'POST', '/v1/sys/policies/explain', reader.token, {
      accessor: reader.auth.accessor,
      path: 'payments/prod/api-key',
      capability: 'read',
    });
    expect(other.status).toBe(403);
    const byToken = await call(env.app, 'POST', '/v1/sys/policies/explain', env.rootToken, {
      token: reader.token,
      path: 'payments/prod/api-key',
      capability: 'read',
    });
    expect(byToken.json.decision).toMatchObject({ allowed: true, basis: 'grant' });
    expect(JSON.stringify(byToken.json)).not.toContain(reader.token);
  });

  it('who-can lists live tokens and login roles holding the capability', async () => {
    await call(env.app, 'PUT', '/v1/sys/policies/payments-read', env.rootToken, readPayments);
    const reader = await tokenWith(['payments-read']);
    const other = await tokenWith(['nothing']);
    await call(env.app, 'POST', '/v1/auth/approle/role/ci', env.rootToken, { policies: ['payments-read'] });
    const res = await call(env.app, 'POST', '/v1/sys/access/who-can', env.rootToken, {
      path: 'payments/prod/db/password',
      capability: 'read',
    });
    expect(res.status).toBe(200);
    const names = res.json.holders.map((h: { kind: string; name: string }) => `${h.kind}:${h.name}`);
    expect(names).toContain(`token:${reader.auth.accessor}`);
    expect(names).toContain('approle:ci');
    expect(names).not.toContain(`token:${other.auth.accessor}`);
    const denyPath = await call(env.app, 'POST', '/v1/sys/access/who-can', env.rootToken, {
      path: 'payments/prod/db/root',
      capability: 'read',
    });
    const denyNames = denyPath.json.holders.map((h: { name: string }) => h.name);
    expect(denyNames).not.toContain(reader.auth.accessor);
    expect(denyNames).not.toContain('ci');
    expect(denyPath.json.holders.every((h: { policies: string[] }) => h.policies.includes('root'))).toBe(
      true,
    );
    const forbidden = await call(env.app, 'POST', '/v1/sys/access/who-can', reader.token, {
      path: 'payments/prod/db/password',
      capability: 'read',
    });
    expect(forbidden.status).toBe(403);
  });

  it('time-limited grants: a rule outside its window does not authorise', async () => {
    await call(env.app, 'PUT', '/v1/sys/policies/temp', env.rootToken, {
      rules: [{ path: 'sys/policies', capabilities: ['list'], expiresAt: '2026-06-01T01:00:00Z' }],
    });
    const t = await tokenWith(['temp'], { ttl: '3h' });
    expect((await call(env.app, 'GET', '/v1/sys/policies', t.token)).status).toBe(200);
    env.time.advance(2 * 3_600_000);
    const late = await call(env.app, 'GET', '/v1/sys/policies', t.token);
    expect(late.status).toBe(403);
    expect(late.json.error.message).toMatch(/expired at 2026-06-01T01:00:00.000Z/);
  });
});

describe('server integration', () => {
  it('the OpenAPI document lists the identity endpoints; logs never hold a token', async () => {
    const t = await tokenWith(['x']);
    await call(env.app, 'GET', '/v1/auth/token/lookup-self', t.token);
    await call(env.app, 'GET', '/v1/auth/token/lookup-self', `${t.token.slice(0, -1)}0`);
    const doc = await call(env.app, 'GET', '/v1/openapi.json');
    expect(doc.status).toBe(200);
    for (const p of [
      '/v1/auth/token/create',
      '/v1/auth/approle/login',
      '/v1/auth/jwt/login',
      '/v1/sys/access/who-can',
    ]) {
      expect(Object.keys(doc.json.paths)).toContain(p);
    }
    const logs = env.logs.text();
    expect(logs).toContain('/v1/auth/token/lookup-self');
    for (const secret of [env.rootToken, t.token]) expect(logs).not.toContain(secret.slice(7, 40));
  });

  it('503 while sealed, and tokens work again after unseal', async () => {
    await env.app.inject({ method: 'POST', url: '/v1/sys/seal', headers: { 'x-hush-token': env.rootToken } });
    const sealed = await call(env.app, 'GET', '/v1/auth/token/lookup-self', env.rootToken);
    expect(sealed.status).toBe(503);
    expect(sealed.json.error.code).toBe('HUSH_E_SEALED');
    await env.app.inject({ method: 'POST', url: '/v1/sys/unseal', payload: {} });
    expect((await call(env.app, 'GET', '/v1/auth/token/lookup-self', env.rootToken)).status).toBe(200);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, makeIdentityEnv } from './identity-support.js';

type Env = Awaited<ReturnType<typeof makeIdentityEnv>>;
let env: Env;
beforeEach(async () => {
  env = await makeIdentityEnv({ loginLimits: { maxFailures: 3, windowMs: 60_000, baseLockoutMs: 30_000 } });
});
afterEach(async () => env.cleanup());

async function setupRole(body: Record<string, unknown>) {
  const role = await call(env.app, 'POST', '/v1/auth/approle/role/ci', env.rootToken, {
    policies: ['deploy'],
    ...body,
  });
  expect(role.status).toBe(200);
  const roleId = (await call(env.app, 'GET', '/v1/auth/approle/role/ci/role-id', env.rootToken)).json
    .roleId as string;
  const secret = await call(env.app, 'POST', '/v1/auth/approle/role/ci/secret-id', env.rootToken);
  expect(secret.status).toBe(200);
  return { roleId, secretId: secret.json.secretId as string, secret: secret.json };
}

const login = (roleId: string, secretId: string, ip = '10.1.2.3') =>
  call(env.app, 'POST', '/v1/auth/approle/login', undefined, { roleId, secretId }, ip);

describe('AppRole', () => {
  it('reads a role configuration back (never its role id) and 404s an unknown role', async () => {
    await setupRole({ cidrs: ['10.0.0.0/8'], tokenTtl: '20m', secretIdNumUses: 3 });
    const res = await call(env.app, 'GET', '/v1/auth/approle/role/ci', env.rootToken);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      name: 'ci',
      policies: ['deploy'],
      secretIdTtlSeconds: 30 * 86_400, // the default when none is given
      secretIdNumUses: 3,
      tokenTtlSeconds: 1200,
      tokenMaxTtlSeconds: 0,
      tokenNumUses: 0,
      cidrs: ['10.0.0.0/8'],
    });
    expect((await call(env.app, 'GET', '/v1/auth/approle/role/nope', env.rootToken)).status).toBe(404);
  });

  it('logs in from an allowed CIDR and gets a token with the role policies', async () => {
    const { roleId, secretId } = await setupRole({ cidrs: ['10.0.0.0/8', '192.168.1.7'], tokenTtl: '20m' });
    const res = await login(roleId, secretId);
    expect(res.status).toBe(200);
    expect(res.json.auth).toMatchObject({ policies: ['deploy'], identity: 'approle:ci', ttlSeconds: 1200 });
    const self = await call(env.app, 'GET', '/v1/auth/token/lookup-self', res.json.token);
    expect(self.json.metadata).toEqual({ role: 'ci', sourceIp: '10.1.2.3' });
    expect((await login(roleId, secretId, '192.168.1.7')).status).toBe(200);
  });

  it('refuses a login from outside the CIDR list (401, naming the address, not the secret)', async () => {
    const { roleId, secretId } = await setupRole({ cidrs: ['10.0.0.0/8'] });
    const res = await login(roleId, secretId, '172.16.0.1');
    expect(res.status).toBe(401);
    expect(res.json.error.message).toMatch(/not allowed from 172\.16\.0\.1/);
    expect(JSON.stringify(res.json)).not.toContain(secretId);
  });

  it('secret ids honour their use count and TTL', async () => {
    const { roleId, secretId, secret } = await setupRole({ secretIdNumUses: 2, secretIdTtl: '10m' });
    expect(secret.usesRemaining).toBe(2);
    expect((await login(roleId, secretId)).status).toBe(200);
    expect((await login(roleId, secretId)).status).toBe(200);
    expect((await login(roleId, secretId)).status).toBe(401);
    const fresh = await call(env.app, 'POST', '/v1/auth/approle/role/ci/secret-id', env.rootToken);
    env.time.advance(10 * 60_000);
    const late = await login(roleId, fresh.json.secretId);
    expect(late.status).toBe(401);
    expect(late.json.error.message).toMatch(/secret id expired/);
  });

  it('wrong secret id or role id: the same 401 message (no role enumeration)', async () => {
    const { roleId } = await setupRole({});
    const a = await login(roleId, 'x'.repeat(40));
    const b = await login('00000000-0000-4000-8000-000000000000', 'x'.repeat(40));
    expect(a.status).toBe(401);
    expect(b.json.error.message).toBe(a.json.error.message);
  });

  it('brute force: 429 with Retry-After after 3 failures, even for the right secret, then recovers', async () => {
    const { roleId, secretId } = await setupRole({});
    for (let i = 0; i < 3; i++) expect((await login(roleId, `wrong-${i}`)).status).toBe(401);
    const locked = await login(roleId, secretId);
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe('HUSH_E_RATE_LIMITED');
    expect(locked.headers['retry-after']).toBe('30');
    // Another source address is not locked out by this one.
    expect((await login(roleId, secretId, '10.9.9.9')).status).toBe(200);
    env.time.advance(29_000);
    expect((await login(roleId, secretId)).headers['retry-after']).toBe('1');
    env.time.advance(1_000);
    expect((await login(roleId, secretId)).status).toBe(200);
    // Backoff doubles on the next lockout.
    for (let i = 0; i < 3; i++) await login(roleId, `wrong-${i}`);
    expect((await login(roleId, secretId)).headers['retry-after']).toBe('30');
    // Every refused login reached the audit trail, with no credential in it.
    const denials = await env.denials();
    expect(denials.filter((d) => d['code'] === 'HUSH_E_UNAUTHENTICATED')).toHaveLength(6);
    expect(denials.filter((d) => d['code'] === 'HUSH_E_RATE_LIMITED').length).toBeGreaterThanOrEqual(3);
    expect(denials.every((d) => d['route'] === '/v1/auth/approle/login')).toBe(true);
    expect(JSON.stringify(denials)).not.toContain(secretId);
    expect(JSON.stringify(denials)).not.toContain(roleId);
  });

  it('role management needs admin on the role path (403 otherwise); bad CIDRs are 400', async () => {
    const t = await call(env.app, 'POST', '/v1/auth/token/create', env.rootToken, { policies: ['x'] });
    const res = await call(env.app, 'POST', '/v1/auth/approle/role/ci', t.json.token, { policies: ['x'] });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/lacks admin on auth\/approle\/role\/ci/);
    expect(await env.denials()).toEqual([
      expect.objectContaining({
        code: 'HUSH_E_FORBIDDEN',
        route: '/v1/auth/approle/role/:name',
        // The caller identity produced it once: who asked (the token's identity), as the audit trail records it.
        callerId: t.json.auth.identity,
      }),
    ]);
    const bad = await call(env.app, 'POST', '/v1/auth/approle/role/ci', env.rootToken, {
      policies: ['x'],
      cidrs: ['10.0.0.0/33'],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/cidrs\[0\]/);
  });

  it('secret ids: listed by accessor only, revoked or destroyed by accessor, expire after 30 days by default', async () => {
    const { roleId, secretId, secret } = await setupRole({});
    expect(secret.accessor).toMatch(/^sid_/);
    expect(Date.parse(secret.expiresAt) - env.time.state.now).toBe(30 * 86_400_000);
    const other = (await call(env.app, 'POST', '/v1/auth/approle/role/ci/secret-id', env.rootToken)).json;
    const listed = await call(env.app, 'GET', '/v1/auth/approle/role/ci/secret-id', env.rootToken);
    expect(listed.status).toBe(200);
    expect(listed.json.secretIds.map((s: { accessor: string }) => s.accessor).sort()).toEqual(
      [secret.accessor, other.accessor].sort(),
    );
    expect(listed.body).not.toContain(secretId);
    expect(listed.body).not.toContain(other.secretId);

    expect((await login(roleId, secretId)).status).toBe(200);
    const revoke = (action: string, accessor: string, token = env.rootToken) =>
      call(env.app, 'POST', `/v1/auth/approle/role/ci/secret-id-accessor/${action}`, token, { accessor });
    expect((await revoke('revoke', secret.accessor)).status).toBe(204);
    const refused = await login(roleId, secretId);
    expect(refused.status).toBe(401);
    expect(refused.json.error.message).toMatch(/secret id was revoked/);
    expect((await revoke('destroy', other.accessor)).status).toBe(204);
    const unknown = await login(roleId, other.secretId);
    expect(unknown.status).toBe(401);
    expect(unknown.json.error.message).toMatch(/invalid role id or secret id/);
    expect(
      (await call(env.app, 'GET', '/v1/auth/approle/role/ci/secret-id', env.rootToken)).json.secretIds,
    ).toEqual([]);
    const missing = await revoke('revoke', 'sid_nope');
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toMatch(/hush approle secret-id list ci/);
    // Needs update on the action's path.
    const weak = await call(env.app, 'POST', '/v1/auth/token/create', env.rootToken, { policies: ['x'] });
    expect((await revoke('revoke', secret.accessor, weak.json.token)).status).toBe(403);

    // The default TTL: a secret id nobody limited stops working after 30 days.
    const forgotten = (await call(env.app, 'POST', '/v1/auth/approle/role/ci/secret-id', env.rootToken)).json;
    env.time.advance(30 * 86_400_000);
    const late = await login(roleId, forgotten.secretId);
    expect(late.status).toBe(401);
    expect(late.json.error.message).toMatch(/secret id expired/);
  });

  it('deleting a role deletes its role id and every secret id; JWT and AppRole roles list and delete', async () => {
    const { roleId, secretId } = await setupRole({});
    expect((await call(env.app, 'GET', '/v1/auth/approle/role', env.rootToken)).json.roles).toEqual(['ci']);
    expect((await call(env.app, 'DELETE', '/v1/auth/approle/role/ci', env.rootToken)).status).toBe(204);
    expect((await call(env.app, 'GET', '/v1/auth/approle/role/ci', env.rootToken)).status).toBe(404);
    expect((await call(env.app, 'DELETE', '/v1/auth/approle/role/ci', env.rootToken)).status).toBe(404);
    expect((await login(roleId, secretId)).status).toBe(401);
    // Re-created under the same name: a new role id, and the old secret id is not resurrected.
    const again = await setupRole({});
    expect(again.roleId).not.toBe(roleId);
    expect((await login(again.roleId, secretId)).status).toBe(401);

    const jwtRole = {
      jwksUrl: 'http://127.0.0.1:9/jwks',
      boundIssuer: 'https://issuer.example',
      boundAudiences: ['hush'],
      policies: ['deploy'],
    };
    expect((await call(env.app, 'POST', '/v1/auth/jwt/role/gh', env.rootToken, jwtRole)).status).toBe(200);
    expect((await call(env.app, 'GET', '/v1/auth/jwt/role', env.rootToken)).json.roles).toEqual(['gh']);
    expect((await call(env.app, 'DELETE', '/v1/auth/jwt/role/gh', env.rootToken)).status).toBe(204);
    expect((await call(env.app, 'GET', '/v1/auth/jwt/role/gh', env.rootToken)).status).toBe(404);
    expect((await call(env.app, 'GET', '/v1/auth/jwt/role', env.rootToken)).json.roles).toEqual([]);
  });

  it('storage holds neither secret ids, role ids nor issued tokens', async () => {
    const { roleId, secretId } = await setupRole({ cidrs: ['10.0.0.0/8'] });
    const token = (await login(roleId, secretId)).json.token as string;
    const bytes = await env.fileBytes();
    for (const s of [secretId, roleId, token, token.slice(7, 40)]) expect(bytes).not.toContain(s);
    expect(bytes).not.toContain('10.0.0.0/8');
  });
});

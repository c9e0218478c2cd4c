import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, makeIdentityEnv } from './identity-support.js';

type Env = Awaited<ReturnType<typeof makeIdentityEnv>>;
let env: Env;
let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
let ec: Awaited<ReturnType<typeof generateKeyPair>>;
let other: Awaited<ReturnType<typeof generateKeyPair>>;

beforeAll(async () => {
  rsa = await generateKeyPair('RS256');
  ec = await generateKeyPair('ES256', { extractable: true });
  other = await generateKeyPair('RS256');
});
beforeEach(async () => {
  env = await makeIdentityEnv({ loginLimits: { maxFailures: 100 } });
});
afterEach(async () => env.cleanup());

const ISSUER = 'https://token.actions.githubusercontent.com';
const now = () => Math.floor(env.time.state.now / 1000);

async function sign(claims: JWTPayload, key = rsa.privateKey, alg = 'RS256', kid = 'k1') {
  return new SignJWT({ repository: 'acme/payments', ref: 'refs/heads/main', ...claims })
    .setProtectedHeader({ alg, kid })
    .setIssuer((claims.iss as string | undefined) ?? ISSUER)
    .setAudience((claims.aud as string | undefined) ?? 'hush')
    .setSubject('repo:acme/payments:ref:refs/heads/main')
    .setIssuedAt(now())
    .setExpirationTime(claims.exp ?? now() + 300)
    .sign(key);
}

async function writeRole(extra: Record<string, unknown> = {}) {
  const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256' };
  const res = await call(env.app, 'POST', '/v1/auth/jwt/role/github', env.rootToken, {
    jwks: { keys: [jwk] },
    boundIssuer: ISSUER,
    boundAudiences: ['hush'],
    boundClaims: { repository: 'acme/*', ref: ['refs/heads/main', 'refs/tags/v*'] },
    policies: ['deploy'],
    tokenTtl: '15m',
    ...extra,
  });
  expect(res.status).toBe(200);
  return res;
}

const login = (jwt: string, role = 'github') =>
  call(env.app, 'POST', '/v1/auth/jwt/login', undefined, { role, jwt });

describe('JWT login', () => {
  it('reads a role configuration back without its key material', async () => {
    await writeRole();
    const res = await call(env.app, 'GET', '/v1/auth/jwt/role/github', env.rootToken);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: 'github',
      boundIssuer: ISSUER,
      keys: 'jwks',
      tokenTtlSeconds: 900,
    });
    expect(JSON.stringify(res.json)).not.toContain('"n"');
    expect((await call(env.app, 'GET', '/v1/auth/jwt/role/none', env.rootToken)).status).toBe(404);
  });

  it('exchanges a valid JWT (inline JWKS) for a token with the role policies', async () => {
    await writeRole();
    const res = await login(await sign({}));
    expect(res.status).toBe(200);
    expect(res.json.auth).toMatchObject({
      policies: ['deploy'],
      identity: 'jwt:github:repo:acme/payments:ref:refs/heads/main',
      ttlSeconds: 900,
    });
    expect((await call(env.app, 'GET', '/v1/auth/token/lookup-self', res.json.token)).status).toBe(200);
  });

  it.each([
    ['wrong issuer', { iss: 'https://evil.example' }, /issuer does not match/],
    ['wrong audience', { aud: 'someone-else' }, /audience does not include/],
    ['unbound claim value', { repository: 'evil/payments' }, /"repository" claim does not match/],
    ['array claim: no element matches', { ref: 'refs/heads/dev' }, /"ref" claim does not match/],
  ])('401 for %s, with the reason', async (_name, claims, reason) => {
    await writeRole();
    const jwt = await sign(claims as JWTPayload);
    const res = await login(jwt);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('HUSH_E_UNAUTHENTICATED');
    expect(res.json.error.message).toMatch(reason);
    expect(JSON.stringify(res.json)).not.toContain(jwt);
    expect(JSON.stringify(res.json)).not.toContain('evil');
  });

  it('honours exp with the clock-skew leeway, and nbf', async () => {
    await writeRole({ clockSkewSeconds: 30 });
    const jwt = await sign({ exp: now() + 60 });
    env.time.advance(80_000); // 20 s past exp: inside the 30 s leeway
    expect((await login(jwt)).status).toBe(200);
    env.time.advance(20_000); // 40 s past exp
    const expired = await login(jwt);
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toMatch(/expired/);
    const future = await new SignJWT({ repository: 'acme/x', ref: 'refs/heads/main' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience('hush')
      .setSubject('s')
      .setNotBefore(now() + 600)
      .setExpirationTime(now() + 900)
      .sign(rsa.privateKey);
    expect((await login(future)).json.error.message).toMatch(/not valid yet/);
  });

  it('refuses a JWT signed by another key, and a tampered payload', async () => {
    await writeRole();
    const forged = await sign({}, other.privateKey);
    expect((await login(forged)).json.error.message).toMatch(/signature does not verify/);
    const good = await sign({});
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
    payload['repository'] = 'acme/other';
    const tampered = [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
    expect((await login(tampered)).status).toBe(401);
    expect((await login('not-a-jwt')).json.error.message).toMatch(/malformed/);
  });

  it('verifies against PEM public keys (EC), trying each configured key', async () => {
    const res = await call(env.app, 'POST', '/v1/auth/jwt/role/k8s', env.rootToken, {
      publicKeys: [await exportSPKI(other.publicKey), await exportSPKI(ec.publicKey)],
      boundIssuer: ISSUER,
      boundAudiences: ['hush'],
      boundClaims: { 'kubernetes.io/namespace': 'payments' },
      userClaim: 'sub',
      policies: ['k8s'],
    });
    expect(res.status).toBe(200);
    const jwt = await sign({ 'kubernetes.io/namespace': 'payments' }, ec.privateKey, 'ES256');
    const ok = await login(jwt, 'k8s');
    expect(ok.status).toBe(200);
    expect(ok.json.auth.policies).toEqual(['k8s']);
    const wrongNs = await sign({ 'kubernetes.io/namespace': 'default' }, ec.privateKey, 'ES256');
    expect((await login(wrongNs, 'k8s')).status).toBe(401);
  });

  it('role writes validate key material and audiences; unknown roles are a failed login', async () => {
    const bad = await call(env.app, 'POST', '/v1/auth/jwt/role/x', env.rootToken, {
      publicKeys: ['-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----'],
      boundIssuer: ISSUER,
      boundAudiences: ['hush'],
      policies: [],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/publicKeys\[0\]/);
    const neither = await call(env.app, 'POST', '/v1/auth/jwt/role/x', env.rootToken, {
      boundIssuer: ISSUER,
      boundAudiences: ['hush'],
      policies: [],
    });
    expect(neither.json.error.message).toMatch(/exactly one of "jwks"/);
    const unknown = await login(await sign({}), 'nope');
    expect(unknown.status).toBe(401);
  });

  it('rate-limits failed JWT logins per role and address', async () => {
    await env.cleanup();
    env = await makeIdentityEnv({ loginLimits: { maxFailures: 2, baseLockoutMs: 10_000 } });
    await writeRole();
    const forged = await sign({}, other.privateKey);
    await login(forged);
    await login(forged);
    const locked = await login(await sign({}));
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('10');
    env.time.advance(10_000);
    expect((await login(await sign({}))).status).toBe(200);
  });
});

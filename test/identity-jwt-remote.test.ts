import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, makeIdentityEnv } from './identity-support.js';
import {
  type JwksServer,
  type SigningKey,
  signingKey,
  signWith,
  startJwksServer,
} from './support/jwks-server.js';

// JWT roles whose keys live at a URL, through the real app (fastify.inject) against a real JWKS server on loopback.
type Env = Awaited<ReturnType<typeof makeIdentityEnv>>;
let env: Env;
let keys: JwksServer;
let k1: SigningKey;
let k2: SigningKey;

// jose keeps its cooldown in real time: long enough that a loaded machine stays inside it between two logins.
const COOLDOWN_MS = 3_000;

beforeAll(async () => {
  k1 = await signingKey('k1');
  k2 = await signingKey('k2');
});
beforeEach(async () => {
  keys = await startJwksServer();
  keys.state.keys = [k1];
  env = await makeIdentityEnv({
    loginLimits: { maxFailures: 100 },
    jwtKeyFetch: { cooldownMs: COOLDOWN_MS, timeoutMs: 300 },
  });
});
afterEach(async () => {
  await env.cleanup();
  await keys.close();
});

// The role's bound issuer is the key server's origin, so discovery (which must name it) works against it too.
const now = () => Math.floor(env.time.state.now / 1000);
const sign = (key: SigningKey) =>
  signWith(key, { iss: keys.origin, aud: 'hush', sub: 'repo:acme/app' }, now());

function writeRole(source: Record<string, unknown>, name = 'ci') {
  return call(env.app, 'POST', `/v1/auth/jwt/role/${name}`, env.rootToken, {
    ...source,
    boundIssuer: keys.origin,
    boundAudiences: ['hush'],
    policies: ['deploy'],
  });
}

const login = (jwt: string, role = 'ci') =>
  call(env.app, 'POST', '/v1/auth/jwt/login', undefined, { role, jwt });

describe('JWT roles with jwksUrl', () => {
  it('logs in with a served key, fetching the key set once for many logins, and shows the URL on read', async () => {
    const written = await writeRole({ jwksUrl: keys.jwksUrl });
    expect(written.status).toBe(200);
    expect(written.json).toMatchObject({ keys: 'jwksUrl', jwksUrl: keys.jwksUrl });
    expect(keys.hits('/jwks')).toBe(0); // writing a role does not fetch

    for (let i = 0; i < 5; i++) {
      const res = await login(await sign(k1));
      expect(res.status).toBe(200);
      expect(res.json.auth).toMatchObject({ policies: ['deploy'], identity: 'jwt:ci:repo:acme/app' });
    }
    expect(keys.hits('/jwks')).toBe(1);

    const read = await call(env.app, 'GET', '/v1/auth/jwt/role/ci', env.rootToken);
    expect(read.json).toMatchObject({ keys: 'jwksUrl', jwksUrl: keys.jwksUrl });
    expect(read.json).not.toHaveProperty('oidcDiscoveryUrl');
  });

  it('accepts a rotated key (new kid) once the cooldown has passed', async () => {
    await writeRole({ jwksUrl: keys.jwksUrl });
    expect((await login(await sign(k1))).status).toBe(200);
    keys.state.keys = [k2]; // the issuer rotates: k1 is gone, k2 is new
    const rotated = await sign(k2);
    // Within the cooldown an unknown kid does not refetch: it is an ordinary failed login.
    const early = await login(rotated);
    expect(early.status).toBe(401);
    expect(early.json.error.message).toMatch(/signature does not verify/);
    expect(keys.hits('/jwks')).toBe(1);
    await new Promise((r) => setTimeout(r, COOLDOWN_MS + 50));
    expect((await login(rotated)).status).toBe(200);
    expect(keys.hits('/jwks')).toBe(2);
    // The refetched set replaced the old one: k1's tokens no longer verify.
    expect((await login(await sign(k1))).status).toBe(401);
  });

  it('a key server that is down gives 502 HUSH_E_UPSTREAM, one line, no stack', async () => {
    await writeRole({ jwksUrl: `${keys.jwksUrl}?token=abc123` });
    await keys.close();
    const jwt = await sign(k1);
    const res = await login(jwt);
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('HUSH_E_UPSTREAM');
    expect(res.json.error.message).toBe(
      `could not fetch the JWT role's keys from ${keys.origin} (connection refused); check jwksUrl and that the server can reach it`,
    );
    expect(res.body).not.toMatch(/\n|stack|at .*\.js|abc123/);
    expect(res.body).not.toContain(jwt);
    expect(env.logs.text()).not.toContain(jwt);
  });

  it('an unreachable key server does not lock callers out (502 is not a failed login)', async () => {
    await env.cleanup();
    env = await makeIdentityEnv({
      loginLimits: { maxFailures: 2, baseLockoutMs: 60_000 },
      jwtKeyFetch: { cooldownMs: COOLDOWN_MS, timeoutMs: 300 },
    });
    await writeRole({ jwksUrl: keys.jwksUrl });
    keys.state.mode = '404';
    for (let i = 0; i < 4; i++) expect((await login(await sign(k1))).status).toBe(502);
    // The failure is remembered for the cooldown: four anonymous logins sent one request to the issuer.
    expect(keys.hits('/jwks')).toBe(1);
    keys.state.mode = 'jwks';
    await new Promise((r) => setTimeout(r, COOLDOWN_MS + 50));
    expect((await login(await sign(k1))).status).toBe(200);
  });

  it.each([
    ['garbage', /\(the response is not JSON\)/],
    ['huge', /\(the response is over 1 MiB\)/],
    ['hang', /\(timed out after 300 ms\)/],
  ] as const)('a key server answering %s gives 502 with the reason', async (mode, reason) => {
    await writeRole({ jwksUrl: keys.jwksUrl });
    keys.state.mode = mode;
    const res = await login(await sign(k1));
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('HUSH_E_UPSTREAM');
    expect(res.json.error.message).toMatch(reason);
  });

  it('a signature that does not verify stays 401, and failed logins are audited without the JWT', async () => {
    await writeRole({ jwksUrl: keys.jwksUrl });
    const forged = await signWith(
      { kid: 'k1', pair: k2.pair }, // claims k1's kid, signed by another key
      { iss: keys.origin, aud: 'hush', sub: 'x' },
      now(),
    );
    const res = await login(forged);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('HUSH_E_UNAUTHENTICATED');
    const audit = await env.denials();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(forged);
    expect(JSON.stringify(audit)).not.toContain(forged.split('.')[2]);
  });
});

describe('JWT roles with oidcDiscoveryUrl', () => {
  it('finds the keys through the discovery document, caching both', async () => {
    const written = await writeRole({ oidcDiscoveryUrl: keys.origin });
    expect(written.json).toMatchObject({ keys: 'oidcDiscoveryUrl', oidcDiscoveryUrl: keys.origin });
    for (let i = 0; i < 3; i++) expect((await login(await sign(k1))).status).toBe(200);
    expect(keys.hits('/.well-known/openid-configuration')).toBe(1);
    expect(keys.hits('/jwks')).toBe(1);
  });

  it("refuses to log in when the discovery document's issuer is not the role's bound issuer", async () => {
    await writeRole({ oidcDiscoveryUrl: keys.origin });
    keys.state.issuer = 'https://token.actions.githubusercontent.com';
    const res = await login(await sign(k1));
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('HUSH_E_UPSTREAM');
    expect(res.json.error.message).toMatch(
      /names issuer "https:\/\/token\.actions\.githubusercontent\.com", not the role's boundIssuer ".*"; set boundIssuer to the issuer exactly/,
    );
  });
});

describe('key URL rules at role write', () => {
  it.each([
    [
      { jwksUrl: 'http://issuer.example/jwks' },
      /^jwksUrl http:\/\/issuer\.example is not allowed: use https:\/\//,
    ],
    [{ oidcDiscoveryUrl: 'http://10.1.2.3' }, /^oidcDiscoveryUrl http:\/\/10\.1\.2\.3 is not allowed/],
    [{ jwksUrl: 'https://me:pw@issuer.example/jwks' }, /must not carry credentials/],
    [{ jwksUrl: `https://issuer.example/${'x'.repeat(3000)}` }, /at most 2048/],
    [{ jwksUrl: 'not a url' }, /is not an absolute URL/],
    [
      { jwksUrl: 'https://a.example/jwks', oidcDiscoveryUrl: 'https://a.example' },
      /^give exactly one of "jwks"/,
    ],
    [{ jwksUrl: 'https://a.example/jwks', publicKeys: ['pem'] }, /"jwksUrl" .* or "oidcDiscoveryUrl"/],
  ])('refuses %o with a one-line 400', async (source, reason) => {
    const res = await writeRole(source);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('HUSH_E_INVALID_INPUT');
    expect(res.json.error.message).toMatch(reason);
    expect(res.json.error.message).not.toContain('\n');
    expect(res.json.error.message).not.toContain('pw@');
    expect((await call(env.app, 'GET', '/v1/auth/jwt/role/ci', env.rootToken)).status).toBe(404);
  });

  it('accepts https anywhere and http to loopback', async () => {
    expect(
      (await writeRole({ oidcDiscoveryUrl: 'https://token.actions.githubusercontent.com' })).status,
    ).toBe(200);
    expect((await writeRole({ jwksUrl: 'http://localhost:9/jwks' }, 'local')).status).toBe(200);
  });
});

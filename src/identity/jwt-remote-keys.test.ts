import { errors, jwtVerify } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type JwksServer,
  type SigningKey,
  signingKey,
  signWith,
  startJwksServer,
} from '../../test/support/jwks-server.js';
import { rejection } from '../../test/support/rejection.js';
import { createRemoteKeys, type RemoteKeySource } from './jwt-remote-keys.js';

let server: JwksServer;
let k1: SigningKey;
let k2: SigningKey;

beforeAll(async () => {
  k1 = await signingKey('k1');
  k2 = await signingKey('k2');
});
beforeEach(async () => {
  server = await startJwksServer();
  server.state.keys = [k1];
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

const now = () => Math.floor(Date.now() / 1000);
const sign = (key: SigningKey, iss = 'https://issuer.example') =>
  signWith(key, { iss, aud: 'hush', sub: 'ci' }, now());

async function verify(remote: ReturnType<typeof createRemoteKeys>, source: RemoteKeySource, jwt: string) {
  return (await jwtVerify(jwt, remote.resolver(source), { audience: 'hush' })).payload;
}

/**
 * Move jose's clock (it reads Date.now() for its cache and cooldown) without waiting: only Date is faked, so the
 * JWKS server's sockets and timers keep real time.
 */
function skipJoseClock(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  vi.setSystemTime(Date.now() + ms);
}

/** A clock for the remembered failures that moves only when told (jose's own cache keeps real time). */
function manualClock() {
  let t = Date.now();
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** The HushError `fn` rejects with (failing the test when it resolves or throws something else). */
const hushError = (fn: () => Promise<unknown>) => rejection(fn());

describe('remote JWKS', () => {
  it('fetches the key set once and reuses it across verifications', async () => {
    const remote = createRemoteKeys();
    for (let i = 0; i < 5; i++) {
      expect((await verify(remote, { jwksUrl: server.jwksUrl }, await sign(k1))).sub).toBe('ci');
    }
    expect(server.hits('/jwks')).toBe(1);
  });

  it('refetches for an unknown kid, but not within the cooldown', async () => {
    const remote = createRemoteKeys({ cooldownMs: 2_000 });
    await verify(remote, { jwksUrl: server.jwksUrl }, await sign(k1));
    server.state.keys = [k1, k2]; // the issuer rotates: k2 is published
    const rotated = await sign(k2);
    await expect(verify(remote, { jwksUrl: server.jwksUrl }, rotated)).rejects.toBeInstanceOf(
      errors.JWKSNoMatchingKey,
    );
    expect(server.hits('/jwks')).toBe(1);
    skipJoseClock(2_100);
    expect((await verify(remote, { jwksUrl: server.jwksUrl }, rotated)).sub).toBe('ci');
    expect(server.hits('/jwks')).toBe(2);
    // A kid nobody publishes fails as a non-matching key (401 upstream of here), not as a fetch failure.
    const stranger = await sign(await signingKey('k9'));
    await expect(verify(remote, { jwksUrl: server.jwksUrl }, stranger)).rejects.toBeInstanceOf(
      errors.JWKSNoMatchingKey,
    );
  });

  it.each([
    ['garbage', /\(the response is not JSON\)/],
    ['not-jwks', /\(the response is not a JSON Web Key Set/],
    ['huge', /\(the response is over 1 MiB\)/],
    ['huge-declared', /\(the response is over 1 MiB\)/],
    ['404', /\(HTTP 404\)/],
    ['redirect', /\(HTTP 302; redirects are not followed, give the final URL\)/],
    ['hang', /\(timed out after 300 ms\)/],
  ] as const)('a server answering %s fails with HUSH_E_UPSTREAM and the reason', async (mode, reason) => {
    server.state.mode = mode;
    const remote = createRemoteKeys({ timeoutMs: 300 });
    const jwt = await sign(k1);
    const err = await hushError(() => verify(remote, { jwksUrl: `${server.jwksUrl}?sig=s3cr3t` }, jwt));
    expect(err.code).toBe('HUSH_E_UPSTREAM');
    expect(err.message).toMatch(reason);
    expect(err.message).toContain(`could not fetch the JWT role's keys from ${server.origin} (`);
    expect(err.message).toMatch(/; check jwksUrl and that the server can reach it$/);
    expect(err.message).not.toContain('s3cr3t');
    expect(err.message).not.toContain('/jwks');
    expect(err.message).not.toContain('\n');
  });

  it('a server that is down fails with "connection refused"', async () => {
    await server.close();
    const err = await hushError(async () =>
      verify(createRemoteKeys(), { jwksUrl: server.jwksUrl }, await sign(k1)),
    );
    expect(err.code).toBe('HUSH_E_UPSTREAM');
    expect(err.message).toBe(
      `could not fetch the JWT role's keys from ${server.origin} (connection refused); check jwksUrl and that the server can reach it`,
    );
  });

  it('remembers a failed fetch for the cooldown (no request per login), then recovers', async () => {
    server.state.mode = '404';
    const clock = manualClock();
    const remote = createRemoteKeys({ cooldownMs: 100, now: clock.now });
    for (let i = 0; i < 5; i++) {
      const err = await hushError(async () => verify(remote, { jwksUrl: server.jwksUrl }, await sign(k1)));
      expect(err.code).toBe('HUSH_E_UPSTREAM');
    }
    expect(server.hits('/jwks')).toBe(1);
    server.state.mode = 'jwks';
    clock.advance(99);
    await hushError(async () => verify(remote, { jwksUrl: server.jwksUrl }, await sign(k1)));
    expect(server.hits('/jwks')).toBe(1);
    clock.advance(1);
    expect((await verify(remote, { jwksUrl: server.jwksUrl }, await sign(k1))).sub).toBe('ci');
    expect(server.hits('/jwks')).toBe(2);
  });

  it('while a refetch failure is remembered, JWTs whose key is cached still verify', async () => {
    const remote = createRemoteKeys({ cooldownMs: 100, now: manualClock().now });
    const source = { jwksUrl: server.jwksUrl };
    expect((await verify(remote, source, await sign(k1))).sub).toBe('ci');
    skipJoseClock(150); // past jose's cooldown: an unknown kid may refetch
    server.state.mode = '404';
    expect((await hushError(async () => verify(remote, source, await sign(k2)))).code).toBe(
      'HUSH_E_UPSTREAM',
    );
    const hits = server.hits('/jwks');
    expect((await verify(remote, source, await sign(k1))).sub).toBe('ci'); // known key: no lockout
    expect((await hushError(async () => verify(remote, source, await sign(k2)))).code).toBe(
      'HUSH_E_UPSTREAM',
    );
    expect(server.hits('/jwks')).toBe(hits); // answered from memory
  });

  it('remembers a failed discovery for the cooldown too', async () => {
    server.state.mode = '404';
    const remote = createRemoteKeys({ cooldownMs: 100, now: manualClock().now });
    const source = { oidcDiscoveryUrl: server.origin, boundIssuer: server.origin };
    for (let i = 0; i < 3; i++)
      await hushError(async () => verify(remote, source, await sign(k1, server.origin)));
    expect(server.hits('/.well-known/openid-configuration')).toBe(1);
  });
});

describe('OIDC discovery', () => {
  /** The HushError of a login whose role discovers its keys at the test server's origin (the issuer it binds). */
  const discoveryFailure = async () =>
    hushError(async () =>
      verify(
        createRemoteKeys(),
        { oidcDiscoveryUrl: server.origin, boundIssuer: server.origin },
        await sign(k1, server.origin),
      ),
    );

  it('takes jwks_uri from the discovery document and caches both', async () => {
    const remote = createRemoteKeys();
    const source = { oidcDiscoveryUrl: server.origin, boundIssuer: server.origin };
    for (let i = 0; i < 4; i++) {
      expect((await verify(remote, source, await sign(k1, server.origin))).sub).toBe('ci');
    }
    expect(server.hits('/.well-known/openid-configuration')).toBe(1);
    expect(server.hits('/jwks')).toBe(1);
    // The document's own URL is accepted too, and a trailing slash is fine.
    const again = createRemoteKeys();
    await verify(again, { ...source, oidcDiscoveryUrl: `${server.origin}/` }, await sign(k1, server.origin));
    await verify(
      again,
      { ...source, oidcDiscoveryUrl: `${server.origin}/.well-known/openid-configuration` },
      await sign(k1, server.origin),
    );
    expect(server.hits('/.well-known/openid-configuration')).toBe(3);
  });

  it("refuses a discovery document whose issuer is not the role's bound issuer", async () => {
    server.state.issuer = 'https://evil.example';
    const err = await discoveryFailure();
    expect(err.code).toBe('HUSH_E_UPSTREAM');
    expect(err.message).toBe(
      `the OIDC discovery document from ${server.origin} names issuer "https://evil.example", not the role's boundIssuer "${server.origin}"; set boundIssuer to the issuer exactly, or fix oidcDiscoveryUrl`,
    );
    expect(server.hits('/jwks')).toBe(0);
  });

  it.each([
    [
      { jwksUri: 'http://keys.example/jwks' },
      /is not usable: its jwks_uri http:\/\/keys\.example is not allowed/,
    ],
    [{ mode: 'not-jwks' as const }, /has no string "issuer" and "jwks_uri"/],
    [
      { mode: '404' as const },
      /could not fetch the JWT role's OIDC discovery document from .* \(HTTP 404\); check oidcDiscoveryUrl/,
    ],
  ])('refuses an unusable discovery document (%o)', async (change, reason) => {
    Object.assign(server.state, change);
    const err = await discoveryFailure();
    expect(err.code).toBe('HUSH_E_UPSTREAM');
    expect(err.message).toMatch(reason);
    expect(err.message).not.toContain('\n');
  });

  it('names the jwks_uri host when the keys behind discovery cannot be fetched', async () => {
    const gone = await startJwksServer();
    await gone.close();
    server.state.jwksUri = gone.jwksUrl;
    const err = await discoveryFailure();
    expect(err.message).toBe(
      `could not fetch the JWT role's keys from ${gone.origin} (connection refused); check the jwks_uri of the issuer's discovery document and that the server can reach it`,
    );
  });
});

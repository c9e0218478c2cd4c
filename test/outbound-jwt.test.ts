import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApiFixture } from './api-fixture.js';
import { freePort } from './support/hush-server.js';
import {
  type JwksServer,
  type SigningKey,
  signingKey,
  signWith,
  startJwksServer,
} from './support/jwks-server.js';

// JWT roles' key URLs are set by whoever holds `admin` on auth/jwt/role/<name> (a delegated admin, not the server's
// operator), and logins to them are anonymous: both must not turn the server into a port scanner (issue 13.11).
describe('JWT key URLs go only to the outbound allow-list', () => {
  let fx: Awaited<ReturnType<typeof makeApiFixture>>;
  let base: string;
  let writer: string;
  let keys: JwksServer;
  let k1: SigningKey;
  let answers404: Server;
  let port404: number;
  let closed: number;

  beforeAll(async () => {
    k1 = await signingKey('k1');
    keys = await startJwksServer();
    keys.state.keys = [k1];
    answers404 = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => answers404.listen(0, '127.0.0.1', resolve));
    port404 = (answers404.address() as AddressInfo).port;
    closed = await freePort();
    const keysPort = new URL(keys.origin).port;
    fx = await makeApiFixture({
      outboundAllow: [`127.0.0.1:${keysPort}`, `127.0.0.1:${port404}`, `127.0.0.1:${closed}`, 'localhost'],
    });
    base = (await fx.listen()).url;
    await fx.identity.services.policies.write({
      name: 'jwt-roles',
      rules: [{ path: 'auth/jwt/role/*', capabilities: ['admin'] }],
    });
    writer = (await fx.identity.services.tokens.create({ policies: ['jwt-roles'], identity: 'user:idp' }))
      .token;
  });
  afterAll(async () => {
    await fx?.cleanup();
    await keys?.close();
    answers404?.close();
  });

  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-hush-token': token } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { error?: { message: string } } };
  };
  const writeRole = (name: string, source: Record<string, string | undefined>) =>
    post(
      `/v1/auth/jwt/role/${name}`,
      { ...source, boundIssuer: keys.origin, boundAudiences: ['hush'], policies: ['deploy'] },
      writer,
    );
  const login = async (role: string) =>
    post('/v1/auth/jwt/login', {
      role,
      jwt: await signWith(k1, { iss: keys.origin, aud: 'hush', sub: 'x' }, Math.floor(Date.now() / 1000)),
    });

  it('refuses a role whose jwksUrl or oidcDiscoveryUrl is off the list when it is written', async () => {
    const other = await freePort();
    for (const source of [
      { jwksUrl: `http://127.0.0.1:${other}/jwks` },
      { oidcDiscoveryUrl: `http://127.0.0.1:${other}` },
    ]) {
      const res = await writeRole('probe', source);
      expect(res.status).toBe(400);
      expect(res.json.error?.message).toContain(
        `127.0.0.1:${other} is not on the server's outbound allow-list`,
      );
    }
  });

  it('fetches keys from a listed host and logs in', async () => {
    expect((await writeRole('ok', { jwksUrl: keys.jwksUrl })).status).toBe(200);
    expect((await login('ok')).status).toBe(200);
  });

  it('tells a login the same thing whether the port answered 404 or refused the connection', async () => {
    expect((await writeRole('answers', { jwksUrl: `http://127.0.0.1:${port404}/jwks` })).status).toBe(200);
    expect((await writeRole('refuses', { jwksUrl: `http://127.0.0.1:${closed}/jwks` })).status).toBe(200);
    const a = await login('answers');
    const r = await login('refuses');
    expect([a.status, r.status]).toEqual([502, 502]);
    const generic = (m = '') =>
      m.replace(/127\.0\.0\.1:\d+/, 'HOST').replace(/keys|OIDC discovery document/, 'X');
    expect(generic(a.json.error?.message)).toBe(generic(r.json.error?.message));
    for (const m of [a.json.error?.message, r.json.error?.message]) {
      expect(m).toMatch(/the server log has the details/);
      // The origin's port is random (it may hold "404"): judge the words around it.
      expect(generic(m)).not.toMatch(/404|refused|ECONN/);
    }
  });

  it('refuses a discovered jwks_uri off the list without fetching it', async () => {
    // The discovery document is on a listed host; the jwks_uri it names is not (an internal port to probe).
    const offList = await startJwksServer();
    offList.state.keys = [k1];
    keys.state.jwksUri = offList.jwksUrl;
    try {
      const res = await post(
        '/v1/auth/jwt/role/discovered',
        {
          oidcDiscoveryUrl: keys.origin,
          boundIssuer: keys.origin,
          boundAudiences: ['hush'],
          policies: ['deploy'],
        },
        writer,
      );
      expect(res.status).toBe(200);
      const login = await post('/v1/auth/jwt/login', {
        role: 'discovered',
        jwt: await signWith(k1, { iss: keys.origin, aud: 'hush', sub: 'x' }, Math.floor(Date.now() / 1000)),
      });
      expect(login.status).toBe(400);
      expect(login.json.error?.message).toMatch(/not on the server's outbound allow-list/);
      expect(offList.hits('/jwks')).toBe(0);
    } finally {
      delete keys.state.jwksUri;
      await offList.close();
    }
  });

  it('checks the address when it connects: a listed name that resolves to loopback gets no request', async () => {
    // Allowed by name ("localhost"), but no IP entry names this server's loopback port.
    const rebound = await startJwksServer();
    rebound.state.keys = [k1];
    try {
      const url = rebound.jwksUrl.replace('127.0.0.1', 'localhost');
      expect((await writeRole('rebound', { jwksUrl: url })).status).toBe(200);
      const res = await login('rebound');
      expect(res.status).toBe(502);
      expect(res.json.error?.message).toMatch(/the server log has the details/);
      expect(rebound.hits('/jwks')).toBe(0);
    } finally {
      await rebound.close();
    }
  });
});

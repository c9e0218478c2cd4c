import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInternalAddress, parseOutboundAllowList } from '../src/net/outbound-allow-list.js';
import { makeApiFixture } from './api-fixture.js';
import { freePort } from './support/hush-server.js';

/** A loopback HTTP server that answers 404 and counts what reaches it (an "internal" service). */
async function internalService(): Promise<{
  server: Server;
  port: number;
  hits: () => number;
  connections: () => number;
}> {
  let hits = 0;
  let connections = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(404).end();
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    hits: () => hits,
    connections: () => connections,
  };
}

describe('caller-set outbound URLs go only to the admin allow-list', () => {
  let fx: Awaited<ReturnType<typeof makeApiFixture>>;
  let base: string;
  let rotator: string;
  let open: Awaited<ReturnType<typeof internalService>>;
  let rebound: Awaited<ReturnType<typeof internalService>>;
  let closed: number;

  beforeAll(async () => {
    open = await internalService();
    rebound = await internalService();
    closed = await freePort();
    // The admin allows two loopback ports by address and the name "localhost" (any port).
    fx = await makeApiFixture({
      outboundAllow: [`127.0.0.1:${open.port}`, `127.0.0.1:${closed}`, 'localhost'],
    });
    base = (await fx.listen()).url;
    await fx.identity.services.policies.write({
      name: 'one-rotator',
      rules: [
        { path: 'app/prod/one', capabilities: ['rotate'] },
        // A secret the rotator may write itself: the postgres-role rotator's connection URL comes from a secret.
        { path: 'app/prod/conn', capabilities: ['read', 'create', 'update'] },
      ],
    });
    rotator = (await fx.identity.services.tokens.create({ policies: ['one-rotator'], identity: 'user:rot' }))
      .token;
  });
  afterAll(async () => {
    await fx?.cleanup();
    open?.server.close();
    rebound?.server.close();
  });

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'x-hush-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    type Reply = { outcome?: string; message?: string; error: { message: string } };
    return { status: res.status, json: (await res.json()) as Reply };
  };
  const setHook = (url: string) =>
    api('PUT', '/v1/rotation/policies', rotator, { path: 'app/prod/one', interval: '1d', hook: { url } });
  const rotate = () => api('POST', '/v1/rotation/rotate/app/prod/one', rotator);

  it('refuses a hook URL off the list when the policy is written', async () => {
    const other = await freePort();
    const res = await setHook(`http://127.0.0.1:${other}/probe`);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain("not on the server's outbound allow-list");
  });

  it('tells the caller the same thing whether the port is open or closed', async () => {
    expect((await setHook(`http://127.0.0.1:${open.port}/x`)).status).toBe(200);
    const answered = await rotate();
    expect(open.hits()).toBe(1);
    expect((await setHook(`http://127.0.0.1:${closed}/x`)).status).toBe(200);
    const refused = await rotate();
    expect(answered.json.outcome).toBe('failed');
    expect(refused.json.outcome).toBe('failed');
    expect(answered.json.message).toBe(refused.json.message);
    expect(answered.json.message).toMatch(/hook delivery failed/);
    for (const m of [answered.json.message, refused.json.message])
      expect(m).not.toMatch(/404|ECONNREFUSED|refused/);
  });

  it('checks the resolved address at connect time (an allowed name that resolves to loopback is refused)', async () => {
    expect((await setHook(`http://localhost:${rebound.port}/x`)).status).toBe(200);
    const res = await rotate();
    expect(res.json.outcome).toBe('failed');
    expect(res.json.message).toMatch(/hook delivery failed/);
    expect(rebound.hits()).toBe(0);
  });

  it('sends the postgres-role rotator only to the list, and says the same for an open or a closed port', async () => {
    const usePg = async (url: string) => {
      expect((await api('PUT', '/v1/secrets/app/prod/conn', rotator, { value: url })).status).toBe(200);
      const res = await api('PUT', '/v1/rotation/policies', rotator, {
        path: 'app/prod/one',
        interval: '1d',
        rotator: 'postgres-role',
        connection: 'app/prod/conn',
        role: 'app',
      });
      expect(res.status).toBe(200);
      return rotate();
    };
    // Off the list (by address or by a query parameter moving the connection): refused, naming only what was written.
    for (const url of [
      `postgres://u:p@127.0.0.1:${await freePort()}/db`,
      `postgres://u:p@127.0.0.1:${open.port}/db?port=${await freePort()}`,
      `postgres://u:p@127.0.0.1:${open.port}/db?host=10.0.0.1`,
    ]) {
      const res = await usePg(url);
      expect(res.json.outcome, url).toBe('failed');
      expect(res.json.message, url).toMatch(/outbound allow-list/);
    }
    const answered = await usePg(`postgres://u:p@127.0.0.1:${open.port}/db`);
    const refused = await usePg(`postgres://u:p@127.0.0.1:${closed}/db`);
    expect(answered.json.outcome).toBe('failed');
    expect(refused.json.outcome).toBe('failed');
    expect(answered.json.message).toBe(refused.json.message);
    for (const m of [answered.json.message, refused.json.message])
      expect(m).not.toMatch(/ECONN|refused|terminated|reset/i);
    // A listed name that resolves to loopback (no IP entry for this port) gets no connection.
    const res = await usePg(`postgres://u:p@localhost:${rebound.port}/db`);
    expect(res.json.outcome).toBe('failed');
    expect(res.json.message).toBe(refused.json.message);
    expect(rebound.connections()).toBe(0);
  });

  it('refuses an engine URL off the list', async () => {
    const res = await api('PUT', '/v1/sys/engines/probe', fx.tokens['user:admin'] as string, {
      type: 'postgres',
      connectionUrl: `postgres://u:p@127.0.0.1:${await freePort()}/db`,
      verify: false,
    });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain("not on the server's outbound allow-list");
  });

  it('tells an engine writer the same thing whether a listed port is open or closed', async () => {
    // `update` on sys/engines/<engine> is delegable: the connection check must not map the ports the list allows.
    const configure = (port: number) =>
      api('PUT', '/v1/sys/engines/probe', fx.tokens['user:admin'] as string, {
        type: 'postgres',
        connectionUrl: `postgres://u:p@127.0.0.1:${port}/db`,
      });
    const answered = await configure(open.port);
    const refused = await configure(closed);
    expect([answered.status, refused.status]).toEqual([502, 502]);
    const generic = (m: string) => m.replace(/127\.0\.0\.1:\d+/, 'HOST');
    expect(generic(answered.json.error.message)).toBe(generic(refused.json.error.message));
    expect(answered.json.error.message).toMatch(/the server log has the details/);
  });

  it('refuses an engine URL whose query parameters would move the connection elsewhere', async () => {
    for (const query of [`port=${await freePort()}`, 'host=10.0.0.1', 'hostaddr=169.254.169.254']) {
      const res = await api('PUT', '/v1/sys/engines/probe', fx.tokens['user:admin'] as string, {
        type: 'postgres',
        connectionUrl: `postgres://u:p@127.0.0.1:${open.port}/db?${query}`,
        verify: false,
      });
      expect(res.status, query).toBe(400);
      expect(res.json.error.message).toMatch(
        /as a query parameter, which would bypass the outbound allow-list/,
      );
    }
  });
});

describe('the allow-list', () => {
  it('classifies internal addresses, IPv4-mapped ones included', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '::1',
      '::ffff:192.168.0.1',
      'fd00::1',
      '0.0.0.0',
    ])
      expect(isInternalAddress(ip), ip).toBe(true);
    for (const ip of ['93.184.216.34', '2606:4700::1']) expect(isInternalAddress(ip), ip).toBe(false);
  });
  it('refuses an entry it cannot read with a config error', () => {
    expect(() => parseOutboundAllowList(['http://x/'])).toThrow(/outbound.allow entry/);
    expect(() => parseOutboundAllowList(['10.0.0.0/40'])).toThrow(/prefix/);
  });
});

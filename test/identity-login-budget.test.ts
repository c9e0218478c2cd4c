import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addressBucket } from '../src/core/ratelimit/login-limiter.js';
import { makeIdentityEnv } from './identity-support.js';

type Env = Awaited<ReturnType<typeof makeIdentityEnv>>;
let env: Env;
let port: number;
beforeEach(async () => {
  env = await makeIdentityEnv({ loginLimits: { maxFailures: 5, addressMaxFailures: 20 } });
  await env.app.listen({ host: '0.0.0.0', port: 0 });
  port = (env.app.server.address() as AddressInfo).port;
});
afterEach(async () => env.cleanup());

/** POST JSON over real loopback HTTP from `from` (any 127.0.0.0/8 address is this host on Linux). */
function post(from: string, path: string, body: unknown, token?: string, forwardedFor?: string) {
  const payload = JSON.stringify(body);
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        localAddress: from,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token ? { 'x-hush-token': token } : {}),
          ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('login budget per source address, across roles', () => {
  it('50 logins with random role ids from one address are throttled; another address still logs in', async () => {
    await post('127.0.0.1', '/v1/auth/approle/role/ci', { policies: ['deploy'] }, env.rootToken);
    const roleId = (
      await env.app.inject({
        method: 'GET',
        url: '/v1/auth/approle/role/ci/role-id',
        headers: { 'x-hush-token': env.rootToken },
      })
    ).json().roleId as string;
    const issue = async () =>
      (await post('127.0.0.1', '/v1/auth/approle/role/ci/secret-id', {}, env.rootToken)).json[
        'secretId'
      ] as string;

    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await post('127.0.0.1', '/v1/auth/approle/login', {
        roleId: randomUUID(),
        secretId: randomUUID(),
      });
      statuses.push(res.status);
    }
    // Each (random role, address) pair failed once: only the address budget can stop this.
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const jwtProbe = await post('127.0.0.1', '/v1/auth/jwt/login', { role: 'nope', jwt: 'x.y.z' });
    expect(jwtProbe.status).toBe(429);
    expect(String((jwtProbe.json['error'] as { message: string }).message)).toMatch(
      /from this address; retry in/,
    );
    // Even the right credentials wait while the address is locked out ...
    const secretId = await issue();
    expect((await post('127.0.0.1', '/v1/auth/approle/login', { roleId, secretId })).status).toBe(429);
    // ... but another address is not locked out.
    expect((await post('127.0.0.2', '/v1/auth/approle/login', { roleId, secretId })).status).toBe(200);
    // The lockout ends (30 s at first).
    env.time.advance(31_000);
    const later = await issue();
    expect((await post('127.0.0.1', '/v1/auth/approle/login', { roleId, secretId: later })).status).toBe(200);
  });

  it('counts an IPv6 host by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe(addressBucket('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(addressBucket('2001:db8:1:2::1')).not.toBe(addressBucket('2001:db8:1:3::1'));
    expect(addressBucket('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(addressBucket('10.1.2.3')).not.toBe(addressBucket('10.1.2.4'));
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
  });
});

describe('login budget behind a load balancer', () => {
  const fail = (forwardedFor: string) =>
    post(
      '127.0.0.1',
      '/v1/auth/approle/login',
      { roleId: randomUUID(), secretId: randomUUID() },
      undefined,
      forwardedFor,
    );
  const issue = async () => {
    await post('127.0.0.1', '/v1/auth/approle/role/ci', { policies: ['deploy'] }, env.rootToken);
    const roleId = (
      await env.app.inject({
        method: 'GET',
        url: '/v1/auth/approle/role/ci/role-id',
        headers: { 'x-hush-token': env.rootToken },
      })
    ).json().roleId as string;
    const secretId = (await post('127.0.0.1', '/v1/auth/approle/role/ci/secret-id', {}, env.rootToken)).json[
      'secretId'
    ] as string;
    return { roleId, secretId };
  };

  it('an X-Forwarded-For from a client that is not a trusted proxy is ignored: it cannot dodge the budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await fail(`198.51.100.${i}`)).status);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  });

  it('with trustedProxies, one client failing through the proxy does not lock out the others behind it', async () => {
    await env.cleanup();
    env = await makeIdentityEnv({
      loginLimits: { maxFailures: 5, addressMaxFailures: 20 },
      trustedProxies: ['127.0.0.1'],
    });
    await env.app.listen({ host: '0.0.0.0', port: 0 });
    port = (env.app.server.address() as AddressInfo).port;
    const statuses: number[] = [];
    // A client cannot prepend its own hops: the proxy's (rightmost untrusted) entry is the one counted.
    for (let i = 0; i < 25; i++) statuses.push((await fail(`198.51.100.${i}, 203.0.113.7`)).status);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const { roleId, secretId } = await issue();
    const other = await post(
      '127.0.0.1',
      '/v1/auth/approle/login',
      { roleId, secretId },
      undefined,
      '203.0.113.8',
    );
    expect(other.status).toBe(200);
  });
});

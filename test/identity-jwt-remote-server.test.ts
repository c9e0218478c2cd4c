import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import {
  type JwksServer,
  type SigningKey,
  signingKey,
  signWith,
  startJwksServer,
} from './support/jwks-server.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// The whole path in a real `hush server` child process: role with a jwksUrl, logins, a dead key server, and what the
// audit trail and the server's output say about it (never the JWT).
let dir: string;
let server: HushServer;
let keys: JwksServer;
let k1: SigningKey;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('jwt-remote-server');
  k1 = await signingKey('k1');
  keys = await startJwksServer();
  keys.state.keys = [k1];
  // Key URLs are caller-set, so they go only where the admin allows (loopback by address, any port, for the test).
  const config = join(dir, 'hush.json');
  await writeFile(config, JSON.stringify({ outbound: { allow: ['127.0.0.1'] } }));
  server = await startHushServer({
    dataDir: dir,
    args: ['--log-level', 'debug', '--config', config],
    env: { HUSH_AUDIT_FILE: join(dir, 'audit.jsonl') },
  });
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await keys?.close();
  if (dir) await removeTempDir(dir);
});

const sign = () =>
  signWith(
    k1,
    { iss: keys.origin, aud: 'hush', sub: 'system:serviceaccount:payments:api' },
    Math.floor(Date.now() / 1000),
  );

describe('JWT login with a jwksUrl, in a spawned server', () => {
  it('logs in against fetched keys, reports a dead key server as 502, and keeps JWTs out of audit and logs', async () => {
    const root = server.rootToken ?? '';
    const role = (name: string, jwksUrl: string) =>
      api(server, root, 'POST', `/v1/auth/jwt/role/${name}`, {
        jwksUrl,
        boundIssuer: keys.origin,
        boundAudiences: ['hush'],
        boundClaims: { sub: 'system:serviceaccount:payments:*' },
        policies: ['payments'],
      });
    expect((await role('k8s', keys.jwksUrl)).status).toBe(200);

    const jwts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const jwt = await sign();
      jwts.push(jwt);
      const res = await api(server, undefined, 'POST', '/v1/auth/jwt/login', { role: 'k8s', jwt });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ auth: { identity: 'jwt:k8s:system:serviceaccount:payments:api' } });
    }
    expect(keys.hits('/jwks')).toBe(1);

    const gone = await startJwksServer();
    await gone.close();
    expect((await role('dead', gone.jwksUrl)).status).toBe(200);
    const jwt = await sign();
    jwts.push(jwt);
    const failed = await api(server, undefined, 'POST', '/v1/auth/jwt/login', { role: 'dead', jwt });
    expect(failed.status).toBe(502);
    expect(failed.text).toBe(
      JSON.stringify({
        error: {
          code: 'HUSH_E_UPSTREAM',
          message: `could not fetch the JWT role's keys from ${gone.origin} (the server log has the details); check jwksUrl and that the server can reach it`,
          id: 'JWT_KEYS_FETCH_FAILED',
        },
      }),
    );
    // The reason is for the admin, in the server log, not for the (anonymous) caller.
    expect(server.stdout() + server.stderr()).toMatch(/connection refused/);

    const audit = await readFile(join(dir, 'audit.jsonl'), 'utf8');
    const logins = audit
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { operation?: string; outcome?: string; errorCode?: string | null })
      // Outcomes only: each login's durable `requested` record pairs with its outcome.
      .filter((r) => r.operation === 'auth.jwt.login' && r.outcome !== 'requested');
    expect(logins.map((r) => r.outcome)).toEqual(['allowed', 'allowed', 'allowed', 'error']);
    expect(logins[3]?.errorCode).toBe('HUSH_E_UPSTREAM');
    const output = audit + server.stdout() + server.stderr();
    for (const j of jwts) {
      expect(output).not.toContain(j);
      expect(output).not.toContain(j.split('.')[2]); // not even the signature alone
    }
  });
});

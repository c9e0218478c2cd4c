import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('login-limits');
  server = await startHushServer({ dataDir: dir, env: { HUSH_LOGIN_ADDRESS_MAX_FAILURES: '3' } });
}, 30_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

describe('hush server: loginLimits reach the login guard', () => {
  it('HUSH_LOGIN_ADDRESS_MAX_FAILURES=3 locks an address out after 3 failed logins across roles', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api(server, undefined, 'POST', '/v1/auth/approle/login', {
        roleId: randomUUID(),
        secretId: randomUUID(),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  }, 30_000);
});

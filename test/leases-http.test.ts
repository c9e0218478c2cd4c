import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  call,
  createProbeTable,
  loginAndQuery,
  makeCredsEnv,
  READER_SQL,
  roleExists,
} from './leases-support.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';

let db: TestPostgres;
let env: Awaited<ReturnType<typeof makeCredsEnv>>;

beforeAll(async () => {
  db = await startTestPostgres();
  await createProbeTable(db);
});
afterAll(async () => {
  await db?.dispose();
});
beforeEach(async () => {
  env = await makeCredsEnv();
});
afterEach(async () => {
  await env?.cleanup();
});

/** Write a policy and mint a token holding only it. */
async function tokenWith(name: string, rules: { path: string; capabilities: string[] }[]): Promise<string> {
  const put = await call(env.app, 'PUT', `/v1/sys/policies/${name}`, env.rootToken, { name, rules });
  expect(put.status).toBe(200);
  const created = await call(env.app, 'POST', '/v1/auth/token/create', env.rootToken, { policies: [name] });
  expect(created.status).toBe(200);
  return created.json.token as string;
}

async function configure(): Promise<void> {
  const eng = await call(env.app, 'PUT', '/v1/sys/engines/main', env.rootToken, {
    type: 'postgres',
    connectionUrl: db.url,
  });
  expect(eng.status).toBe(200);
  expect(eng.json).toMatchObject({ name: 'main', type: 'postgres', validUntilMargin: 300 });
  expect(eng.body).not.toContain(db.password);
  const role = await call(env.app, 'PUT', '/v1/sys/engines/main/roles/reader', env.rootToken, {
    creationSql: READER_SQL,
    ttl: '1h',
    maxTtl: '24h',
  });
  expect(role.status).toBe(200);
  expect(role.json).toMatchObject({ ttl: 3600, maxTtl: 86400 });
  expect(role.json.revocationSql).toContain('DROP ROLE IF EXISTS {{name}}');
}

describe('dynamic credentials over HTTP', () => {
  it('configures, issues working credentials, renews and revokes; the URL and passwords never reach the audit trail', async () => {
    await configure();
    const read = await call(env.app, 'GET', '/v1/creds/main/reader', env.rootToken);
    expect(read.status).toBe(200);
    const { username, password, leaseId } = read.json;
    expect(read.json).toMatchObject({ ttl: 3600, renewable: true });
    expect(await loginAndQuery(db, username, password)).toBe(1);

    const renewed = await call(env.app, 'POST', '/v1/leases/renew', env.rootToken, {
      leaseId,
      increment: '2h',
    });
    expect(renewed.status).toBe(200);
    expect(renewed.json.ttl).toBe(7200);

    const listed = await call(env.app, 'GET', '/v1/leases?prefix=creds/main', env.rootToken);
    expect(listed.json.leases.map((l: { leaseId: string }) => l.leaseId)).toEqual([leaseId]);

    const revoked = await call(env.app, 'POST', '/v1/leases/revoke', env.rootToken, { leaseId });
    expect(revoked.json).toEqual({ revoked: [leaseId], queued: [] });
    await expect(loginAndQuery(db, username, password)).rejects.toThrow();

    const audit = await env.auditText();
    for (const op of [
      'creds.engine.write',
      'creds.role.write',
      'creds.read',
      'leases.renew',
      'leases.revoke',
    ])
      expect(audit).toContain(op);
    expect(audit).not.toContain(db.password);
    expect(audit).not.toContain(db.url);
    expect(audit).not.toContain(password);
    expect(env.logs.text()).not.toContain(db.password);
    expect(env.logs.text()).not.toContain(password);
  });

  it('rejects bad input with one-line coded errors and never echoes the URL', async () => {
    const bad = await call(env.app, 'PUT', '/v1/sys/engines/main', env.rootToken, {
      type: 'postgres',
      connectionUrl: `postgres://hush:${db.password}@127.0.0.1:1/postgres`,
    });
    expect(bad.status).toBe(502);
    expect(bad.json.error.code).toBe('HUSH_E_UPSTREAM');
    expect(bad.body).not.toContain(db.password);
    const extra = await call(env.app, 'PUT', '/v1/sys/engines/main', env.rootToken, {
      type: 'postgres',
      connectionUrl: db.url,
      password: 'x',
    });
    expect(extra.status).toBe(400);
    expect(extra.body).not.toContain(db.password);
    const template = await call(env.app, 'PUT', '/v1/sys/engines/main/roles/r', env.rootToken, {
      creationSql: READER_SQL,
      ttl: '1h',
      maxTtl: '1h',
    });
    expect(template.status).toBe(404); // no engine yet
    expect(template.json.error.message).toContain('hush creds config postgres main');
    const badId = await call(env.app, 'POST', '/v1/leases/revoke', env.rootToken, { leaseId: '../x' });
    expect(badId.status).toBe(400);
    expect((await env.auditText()).includes(db.password)).toBe(false);
  });

  it('gates everything by policy; a lease owner may renew and revoke its own lease only', async () => {
    await configure();
    const app1 = await tokenWith('app1', [{ path: 'creds/main/reader', capabilities: ['read'] }]);
    const app2 = await tokenWith('app2', [{ path: 'creds/main/*', capabilities: ['read'] }]);
    const nobody = await tokenWith('nobody', [{ path: 'secret/*', capabilities: ['read'] }]);

    expect((await call(env.app, 'GET', '/v1/creds/main/reader', nobody)).status).toBe(403);
    expect(
      (await call(env.app, 'PUT', '/v1/sys/engines/main', app1, { type: 'postgres', connectionUrl: db.url }))
        .status,
    ).toBe(403);
    expect((await call(env.app, 'GET', '/v1/sys/engines/main', app1)).status).toBe(403);

    const mine = await call(env.app, 'GET', '/v1/creds/main/reader', app1);
    expect(mine.status).toBe(200);
    const theirs = await call(env.app, 'GET', '/v1/creds/main/reader', app2);
    const leaseId = mine.json.leaseId as string;

    expect((await call(env.app, 'POST', '/v1/leases/renew', app1, { leaseId })).status).toBe(200);
    // Another token cannot touch it, and cannot tell a foreign lease from a missing one.
    const foreign = await call(env.app, 'POST', '/v1/leases/revoke', app2, { leaseId });
    expect(foreign.status).toBe(403);
    const missing = await call(env.app, 'POST', '/v1/leases/revoke', app2, {
      leaseId: 'creds/main/reader/00000000000000000000000000000000',
    });
    expect(missing.status).toBe(403);
    expect((await call(env.app, 'GET', '/v1/leases', app1)).status).toBe(403);
    expect(
      (await call(env.app, 'POST', '/v1/leases/revoke-prefix', app1, { prefix: 'creds/main' })).status,
    ).toBe(403);

    expect((await call(env.app, 'POST', '/v1/leases/revoke', app1, { leaseId })).json.revoked).toEqual([
      leaseId,
    ]);
    expect(await roleExists(db, mine.json.username)).toBe(false);

    // Root (sudo) revokes the rest by prefix.
    const rest = await call(env.app, 'POST', '/v1/leases/revoke-prefix', env.rootToken, {
      prefix: 'creds/main',
    });
    expect(rest.json.revoked).toEqual([theirs.json.leaseId]);
    expect(await roleExists(db, theirs.json.username)).toBe(false);

    const audit = await env.auditText();
    expect(audit).toMatch(
      /"operation":"creds\.read".*"outcome":"denied"|"outcome":"denied".*"operation":"creds\.read"/,
    );
  });

  it('records the owner identity and accessor on the lease', async () => {
    await configure();
    const app1 = await tokenWith('app1', [{ path: 'creds/main/reader', capabilities: ['read'] }]);
    const self = await call(env.app, 'GET', '/v1/auth/token/lookup-self', app1);
    const mine = await call(env.app, 'GET', '/v1/creds/main/reader', app1);
    const [lease] = await env.creds.leases.list();
    expect(lease?.leaseId).toBe(mine.json.leaseId);
    expect(lease?.owner).toEqual({ identity: self.json.identity, tokenAccessor: self.json.accessor });
    const result = await env.creds.leases.revokeLeasesOf({ tokenAccessor: self.json.accessor });
    expect(result.revoked).toEqual([mine.json.leaseId]);
  });
});

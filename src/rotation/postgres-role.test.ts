import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  disposeSharedTestPostgres,
  sharedTestPostgres,
  type TestPostgres,
} from '../../test/support/postgres.js';
import { rotationBenches } from '../../test/support/rotation-bench.js';

const bench = rotationBenches();
const actor = 'user:test';
const ADMIN = 'ops/prod/pg-admin';
const SECRET = 'app/prod/db-password';
let server: TestPostgres;

beforeAll(async () => {
  server = await sharedTestPostgres();
}, 120_000);
afterAll(async () => {
  await disposeSharedTestPostgres();
});

async function canLogIn(role: string, password: string): Promise<boolean> {
  const url = new URL(server.url);
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(password);
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A role whose name needs quoting (quotes, semicolon, space): ALTER ROLE must treat it as one identifier. */
async function makeRole(oldPassword: string, login = true): Promise<string> {
  const role = `app "user"; x'${randomBytes(4).toString('hex')}`;
  await server.admin(
    `CREATE ROLE ${pg.escapeIdentifier(role)} ${login ? 'LOGIN' : 'NOLOGIN'} PASSWORD ${pg.escapeLiteral(oldPassword)}`,
  );
  return role;
}

async function setUp(role: string, oldPassword: string, hook?: { command: string[] }) {
  const b = await bench();
  await b.store.put(ADMIN, server.url, { actor });
  await b.store.put(SECRET, oldPassword, { actor });
  await b.rotation.setPolicy(
    {
      path: SECRET,
      interval: '30d',
      rotator: 'postgres-role',
      connection: ADMIN,
      role,
      generator: { kind: 'password', options: { length: 32 } },
      ...(hook ? { hook } : {}),
    },
    actor,
  );
  return b;
}

describe('postgres-role rotator (real PostgreSQL)', () => {
  it('sets the new password, verifies it, promotes; the old password stops working', async () => {
    const old = `old'pw-${randomBytes(6).toString('hex')}`;
    const role = await makeRole(old);
    const b = await setUp(role, old);
    expect(await canLogIn(role, old)).toBe(true);
    const result = await b.rotation.rotate(SECRET, { actor });
    expect(result).toMatchObject({ outcome: 'rotated', version: 2, previousVersion: 1 });
    const fresh = (await b.store.get(SECRET)).value as string;
    expect(fresh).not.toBe(old);
    expect(await canLogIn(role, fresh)).toBe(true);
    expect(await canLogIn(role, old)).toBe(false);
    expect(JSON.stringify(b.audit)).not.toContain(fresh);
    expect(JSON.stringify(b.audit)).not.toContain(server.password);
  }, 60_000);

  it('a failing hook after ALTER ROLE restores the old password and keeps current', async () => {
    const old = `old-${randomBytes(6).toString('hex')}`;
    const role = await makeRole(old);
    const b = await setUp(role, old, { command: [process.execPath, '-e', 'process.exit(2)'] });
    const result = await b.rotation.rotate(SECRET, { actor });
    expect(result).toMatchObject({ outcome: 'failed', code: 'HUSH_E_ROTATION_FAILED' });
    expect(result.message).toMatch(/role password was restored/);
    expect((await b.store.get(SECRET)).value).toBe(old);
    expect(await canLogIn(role, old)).toBe(true);
    expect(b.alerts).toHaveLength(1);
  }, 60_000);

  it('a role that cannot log in fails verification; the old password is put back', async () => {
    const old = `old-${randomBytes(6).toString('hex')}`;
    const role = await makeRole(old, false);
    const b = await setUp(role, old);
    const result = await b.rotation.rotate(SECRET, { actor });
    expect(result).toMatchObject({ outcome: 'failed', code: 'HUSH_E_ROTATION_FAILED' });
    expect(result.message).toMatch(/could not log in with the new password; the old password was restored/);
    expect(result.message).not.toContain(server.password);
    expect((await b.store.versions(SECRET)).labels).toEqual({ current: 1 });
    await server.admin(`ALTER ROLE ${pg.escapeIdentifier(role)} LOGIN`);
    expect(await canLogIn(role, old)).toBe(true);
  }, 60_000);

  it('a bad admin connection fails before the database changes', async () => {
    const old = `old-${randomBytes(6).toString('hex')}`;
    const role = await makeRole(old);
    const b = await setUp(role, old);
    const wrong = new URL(server.url);
    wrong.password = 'not-the-password';
    await b.store.put(ADMIN, wrong.toString(), { actor });
    const result = await b.rotation.rotate(SECRET, { actor });
    expect(result).toMatchObject({ outcome: 'failed', code: 'HUSH_E_ROTATION_FAILED' });
    expect(result.message).toMatch(/database password is unchanged/);
    expect(await canLogIn(role, old)).toBe(true);
  }, 60_000);
});

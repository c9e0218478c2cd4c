import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAdmin } from '../src/engines/postgres/pg-admin.js';
import { parseOutboundAllowList } from '../src/net/outbound-allow-list.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';

// Engine hosts are checked by name and address when the engine is configured, but the pg driver resolves the name
// again on every connection: a name that resolves to an internal address by then (DNS rebinding) must still be
// refused. `localhost` stands in for such a name: allowed by name, resolving to loopback, which no IP entry allows.
let db: TestPostgres;
beforeAll(async () => {
  db = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await db?.dispose();
});

const urlWithHost = (host: string) => {
  const u = new URL(db.url);
  u.hostname = host;
  return u.href;
};
const select1 = (connectionUrl: string, allow?: readonly string[]) =>
  withAdmin(
    { engine: 'main', connectionUrl, ...(allow ? { outbound: parseOutboundAllowList(allow) } : {}) },
    'a probe',
    async (c) => (await c.query('SELECT 1 AS one')).rows[0].one as number,
  );

describe('engine connections check the resolved address when they connect', () => {
  it('refuses a name that resolves to an address off the list, before any connection is made', async () => {
    const port = new URL(db.url).port;
    const before = Number((await db.admin('SELECT count(*) AS n FROM pg_stat_activity')).rows[0].n);
    const err = await select1(urlWithHost('localhost'), ['localhost']).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'HUSH_E_UPSTREAM',
      message: expect.stringMatching(
        /cannot connect to postgres engine "main" \(localhost:\d+\/postgres\): EHUSHOUTBOUND \(the host resolved to an address outside the outbound allow-list\)/,
      ),
    });
    expect((err as Error).message).not.toContain(db.password);
    // An IP literal off the list is refused the same way.
    await expect(select1(urlWithHost('127.0.0.1'), ['localhost'])).rejects.toThrow(/EHUSHOUTBOUND/);
    const after = Number((await db.admin('SELECT count(*) AS n FROM pg_stat_activity')).rows[0].n);
    expect(after).toBe(before);
    // The same names connect once the admin names the addresses (and keep working with no list, in local mode).
    expect(await select1(urlWithHost('localhost'), ['localhost', `127.0.0.1:${port}`, `[::1]:${port}`])).toBe(
      1,
    );
    expect(await select1(urlWithHost('127.0.0.1'), [`127.0.0.1:${port}`])).toBe(1);
    expect(await select1(urlWithHost('localhost'))).toBe(1);
  }, 60_000);

  it('says what PostgreSQL answered, but not how a listed port failed to answer, when a list applies', async () => {
    const port = new URL(db.url).port;
    const wrong = new URL(urlWithHost('127.0.0.1'));
    wrong.password = 'not-the-password';
    const logged: object[] = [];
    const target = (connectionUrl: string) => ({
      engine: 'main',
      connectionUrl,
      outbound: parseOutboundAllowList([`127.0.0.1:${port}`, '127.0.0.1:1']),
      log: (fields: object) => logged.push(fields),
    });
    const noop = async () => undefined;
    await expect(withAdmin(target(wrong.href), 'a probe', noop)).rejects.toThrow(/SQLSTATE 28P01/);
    const closed = new URL(wrong.href);
    closed.port = '1';
    const err = await withAdmin(target(closed.href), 'a probe', noop).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /no PostgreSQL session could be opened \(the server log has the details\)/,
    );
    expect((err as Error).message).not.toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(logged)).toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(logged)).not.toContain('not-the-password');
  }, 60_000);
});

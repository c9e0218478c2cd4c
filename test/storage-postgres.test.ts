import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isHushError } from '../src/core/errors/hush-error.js';
import { openPostgresBackend, type PostgresBackend } from '../src/storage/postgres/postgres-backend.js';
import { POSTGRES_MIGRATIONS } from '../src/storage/postgres/postgres-migrations.js';
import { expectHushErrorAsync as expectHushError } from './support/expect-hush-error.js';
import { freePort, startTestPostgres, type TestPostgres } from './support/postgres.js';

let server: TestPostgres;
const opened: PostgresBackend[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(() => server?.dispose());
afterEach(async () => {
  for (const b of opened.splice(0)) await b.close();
  for (const drop of cleanups.splice(0)) await drop();
});

/** A fresh schema's URL, dropped after the test. */
async function schemaUrl(): Promise<{ url: string; schema: string }> {
  const fresh = await server.freshSchema();
  cleanups.push(fresh.drop);
  return fresh;
}

async function open(url: string, extra: { statementTimeoutMs?: number; connectTimeoutMs?: number } = {}) {
  const b = await openPostgresBackend({ url, poolSize: 4, ...extra });
  opened.push(b);
  return b;
}

/** Read-increment-CAS-write until it succeeds; returns how many CAS conflicts it saw. */
async function increment(b: PostgresBackend, key: string): Promise<number> {
  for (let conflicts = 0; ; conflicts++) {
    const entry = await b.get(key);
    const n = entry ? Number(entry.value.toString()) : 0;
    try {
      await b.put(key, Buffer.from(String(n + 1)), entry?.revision ?? 0);
      return conflicts;
    } catch (err) {
      if (!isHushError(err, 'HUSH_E_CAS_CONFLICT')) throw err;
    }
  }
}

describe('PostgreSQL backend against a real server', () => {
  it('loses no update when two pools (two nodes) increment one key concurrently with CAS', async () => {
    const { url } = await schemaUrl();
    const nodes = [await open(url), await open(url)];
    const perWorker = 20;
    // Two pools x 3 concurrent workers each: real contention on separate connections.
    const workers = nodes.flatMap((b) =>
      Array.from({ length: 3 }, async () => {
        let conflicts = 0;
        for (let i = 0; i < perWorker; i++) conflicts += await increment(b, 'counter');
        return conflicts;
      }),
    );
    const conflicts = (await Promise.all(workers)).reduce((a, b) => a + b, 0);
    const total = workers.length * perWorker;
    const final = await nodes[0]!.get('counter');
    expect(final?.value.toString()).toBe(String(total));
    expect(final?.revision).toBe(total);
    expect(conflicts).toBeGreaterThan(0); // the test really raced
  });

  it('keeps concurrent batches from two pools atomic (each sees the whole of the other or none)', async () => {
    const { url } = await schemaUrl();
    const [a, b] = [await open(url), await open(url)];
    // Each batch moves one unit from x to y with CAS on both; concurrent batches must not double-apply.
    await a.batch([
      { op: 'put', key: 'x', value: Buffer.from('100') },
      { op: 'put', key: 'y', value: Buffer.from('0') },
    ]);
    const move = async (node: PostgresBackend) => {
      for (;;) {
        const [x, y] = [await node.get('x'), await node.get('y')];
        try {
          await node.batch([
            {
              op: 'put',
              key: 'x',
              value: Buffer.from(String(Number(x!.value) - 1)),
              expectedRevision: x!.revision,
            },
            {
              op: 'put',
              key: 'y',
              value: Buffer.from(String(Number(y!.value) + 1)),
              expectedRevision: y!.revision,
            },
          ]);
          return;
        } catch (err) {
          if (!isHushError(err, 'HUSH_E_CAS_CONFLICT')) throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => move(i % 2 === 0 ? a : b)));
    expect((await a.get('x'))?.value.toString()).toBe('80');
    expect((await b.get('y'))?.value.toString()).toBe('20');
  });

  it('migrates once: reopening and concurrent first opens leave one version row and keep the data', async () => {
    const { url, schema } = await schemaUrl();
    const first = await Promise.all(Array.from({ length: 4 }, () => open(url)));
    await first[0]!.put('kept', Buffer.from('v'));
    const again = await open(url);
    expect(await again.get('kept')).toMatchObject({ revision: 1 });
    const rows = await server.admin(`SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`);
    expect(rows.rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('refuses a schema written by a newer Hush, leaving it untouched', async () => {
    const { url, schema } = await schemaUrl();
    await (await open(url)).put('k', Buffer.from('v'));
    const newer = POSTGRES_MIGRATIONS.length + 1;
    await server.admin(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, 'future')`, [
      newer,
    ]);
    const err = await expectHushError(openPostgresBackend({ url }), 'HUSH_E_STORAGE');
    expect(err.message).toContain(
      `schema version ${newer}, this build knows up to ${POSTGRES_MIGRATIONS.length}`,
    );
    expect(err.message).toContain('upgrade Hush');
    expect(err.message).not.toContain(server.password);
    const kv = await server.admin(`SELECT count(*)::int AS n FROM ${schema}.kv`);
    expect(kv.rows[0]).toEqual({ n: 1 });
  });

  it('fails fast with HUSH_E_STORAGE naming host:port (never the password) when nothing listens', async () => {
    const port = await freePort();
    const url = `postgres://hush:${server.password}@127.0.0.1:${port}/hush`;
    // Fast = it fails at all rather than retrying: the test's timeout is the bound.
    const err = await expectHushError(openPostgresBackend({ url }), 'HUSH_E_STORAGE');
    expect(err.message).toContain(`127.0.0.1:${port}/hush`);
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).not.toContain(server.password);
  });

  it('reports a wrong password as HUSH_E_STORAGE without echoing either password', async () => {
    const u = new URL(server.url);
    u.password = 'wrong-secret-pw';
    const err = await expectHushError(openPostgresBackend({ url: u.toString() }), 'HUSH_E_STORAGE');
    expect(err.message).toContain('authentication failed (28P01)');
    expect(err.message).not.toContain('wrong-secret-pw');
    expect(err.message).not.toContain(server.password);
  });

  it('cancels a write stuck behind a lock after statementTimeoutMs with HUSH_E_STORAGE', async () => {
    const { url, schema } = await schemaUrl();
    const b = await open(url, { statementTimeoutMs: 300 });
    await b.put('k', Buffer.from('v'));
    const blocker = await server.adminClient();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT * FROM ${schema}.kv FOR UPDATE`);
      // The lock is never released while this waits: only the statement timeout can end the put.
      const err = await expectHushError(b.put('k', Buffer.from('w'), 1), 'HUSH_E_STORAGE');
      expect(err.message).toContain('statementTimeoutMs (300 ms)');
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      blocker.release();
    }
    expect(await b.get('k')).toMatchObject({ value: Buffer.from('v'), revision: 1 });
    expect(await b.put('k', Buffer.from('w'), 1)).toBe(2);
  });

  it.skipIf(process.env.HUSH_TEST_POSTGRES_URL !== undefined)(
    'answers HUSH_E_STORAGE promptly while the server is down, and recovers after it restarts',
    async () => {
      const { url } = await schemaUrl();
      const b = await open(url, { connectTimeoutMs: 2000 });
      await b.put('k', Buffer.from('before'));
      await server.stop();
      try {
        const port = new URL(url).port;
        // One call at a time, so none rejects before it is awaited; each must end (the test's timeout is the bound).
        const calls = [
          () => b.get('k'),
          () => b.put('k', Buffer.from('during')),
          () => b.list(''),
          () => b.delete('k'),
        ];
        for (const call of calls) {
          const err = await expectHushError(call(), 'HUSH_E_STORAGE');
          expect(err.message).toContain(`127.0.0.1:${port}`);
          expect(err.message).not.toContain(server.password);
        }
      } finally {
        await server.start();
      }
      expect(await b.get('k')).toMatchObject({ value: Buffer.from('before'), revision: 1 });
      expect(await b.put('k', Buffer.from('after'), 1)).toBe(2);
    },
  );
});

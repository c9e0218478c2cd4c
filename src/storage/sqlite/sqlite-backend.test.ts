import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectHushErrorAsync as expectHushError } from '../../../test/support/expect-hush-error.js';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.js';
import { openSqliteBackend } from './sqlite-backend.js';
import { LIST_SQL } from './sqlite-statements.js';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('SqliteBackend (file behaviour)', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await makeTempDir('sqlite-file');
    path = join(dir, 'hush.db');
  });
  afterEach(() => removeTempDir(dir));

  it('persists across close and reopen, revisions included', async () => {
    const a = await openSqliteBackend({ path });
    await a.put('k', Buffer.from('v1'));
    await a.put('k', Buffer.from('v2'));
    await a.put('gone', Buffer.from('x'));
    await a.delete('gone');
    await a.close();
    const b = await openSqliteBackend({ path, busyTimeoutMs: 100 });
    expect(await b.get('k')).toEqual({ key: 'k', value: Buffer.from('v2'), revision: 2 });
    expect(await b.get('gone')).toBeUndefined();
    expect(await b.put('k', Buffer.from('v3'), 2)).toBe(3);
    await b.close();
  });

  it('creates the file, -wal and -shm with mode 0600 and a missing directory with 0700', async () => {
    const nested = join(dir, 'a', 'b', 'hush.db');
    const b = await openSqliteBackend({ path: nested });
    await b.put('k', Buffer.from('v'));
    expect(await modeOf(nested)).toBe(0o600);
    expect(await modeOf(`${nested}-wal`)).toBe(0o600);
    expect(await modeOf(`${nested}-shm`)).toBe(0o600);
    expect(await modeOf(join(dir, 'a'))).toBe(0o700);
    expect(await modeOf(join(dir, 'a', 'b'))).toBe(0o700);
    await b.close();
  });

  it('tightens an existing world-readable database file to 0600', async () => {
    await (await openSqliteBackend({ path })).close();
    await chmod(path, 0o644);
    const b = await openSqliteBackend({ path });
    expect(await modeOf(path)).toBe(0o600);
    await b.close();
  });

  it('runs WAL with synchronous=FULL and checkpoints the WAL away on close', async () => {
    const b = await openSqliteBackend({ path });
    await b.put('k', Buffer.alloc(64 * 1024, 1));
    expect((await stat(`${path}-wal`)).size).toBeGreaterThan(64 * 1024);
    await b.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    // After TRUNCATE checkpoint the main file alone holds everything.
    expect((await stat(path)).size).toBeGreaterThan(64 * 1024);
  });

  it('lists through the key index (a range search, never a scan or LIKE)', async () => {
    await (await openSqliteBackend({ path })).close();
    const raw = new Database(path, { readonly: true });
    for (const sql of Object.values(LIST_SQL)) {
      const args = sql.includes('AND') ? ['a', 'b', 10] : ['a', 10];
      const plan = raw
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...args)
        .map((r) => (r as { detail: string }).detail)
        .join('; ');
      expect(plan).toMatch(/SEARCH kv USING COVERING INDEX sqlite_autoindex_kv_1 \(key>\?/);
      expect(plan).not.toContain('TEMP B-TREE');
    }
    raw.close();
  });

  it('refuses a database written by a newer Hush, naming both versions', async () => {
    await (await openSqliteBackend({ path })).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations VALUES (999, 'from the future', 'now')").run();
    raw.close();
    const err = await expectHushError(openSqliteBackend({ path }), 'HUSH_E_STORAGE');
    expect(err.message).toBe(
      `${path} was written by a newer Hush (schema version 999, this build knows up to 1); upgrade Hush before opening it`,
    );
  });

  it('refuses a SQLite database that is not a Hush store, and leaves it untouched', async () => {
    const raw = new Database(path);
    raw.exec('CREATE TABLE customers (id INTEGER)');
    raw.close();
    const before = await readFile(path);
    const err = await expectHushError(openSqliteBackend({ path }), 'HUSH_E_STORAGE');
    expect(err.message).toContain('not a Hush store (it has tables customers');
    expect((await readFile(path)).equals(before)).toBe(true);
  });

  it('reports a file that is not a database (bad header) as HUSH_E_STORAGE naming the path', async () => {
    await writeFile(path, Buffer.alloc(8192, 0x5a), { mode: 0o600 });
    const err = await expectHushError(openSqliteBackend({ path }), 'HUSH_E_STORAGE');
    expect(err.message).toContain(`${path} is not a SQLite database`);
    expect(err.message).toContain('restore it from a backup');
  });

  /** Ways to damage a database image in place (deterministic, so a failure reproduces). */
  const damage: Record<string, (image: Buffer, pageSize: number) => void> = {
    'b-tree page headers': (image, pageSize) => {
      for (let page = 1; page * pageSize < image.length; page++) {
        for (const off of [0, 3, 5, 8, 9]) image[page * pageSize + off]! ^= 0xa5;
      }
    },
    'the schema page': (image) => {
      for (let off = 100; off < 400; off += 7) image[off]! ^= 0xff;
    },
    'scattered single bits': (image) => {
      for (let i = 0; i < 200; i++) image[100 + ((i * 7919) % (image.length - 100))]! ^= 1 << (i % 8);
    },
  };

  it.each(Object.keys(damage))(
    'reports bit flips in %s as HUSH_E_INTEGRITY/STORAGE, never a raw error',
    async (how) => {
      const b = await openSqliteBackend({ path });
      const keys = Array.from({ length: 400 }, (_, i) => `k/${String(i).padStart(4, '0')}`);
      for (const k of keys) await b.put(k, Buffer.alloc(300, k));
      await b.close();
      const image = await readFile(path);
      damage[how]!(image, image.readUInt16BE(16));
      await writeFile(path, image);
      const outcomes: string[] = [];
      const record = (err: unknown) => {
        expect(err).toMatchObject({ name: 'HushError' });
        const { code, message } = err as { code: string; message: string };
        expect(['HUSH_E_INTEGRITY', 'HUSH_E_STORAGE']).toContain(code);
        expect(message).toContain(path);
        expect(message).not.toContain('\n');
        outcomes.push(code);
      };
      try {
        const c = await openSqliteBackend({ path });
        for (const k of keys) await c.get(k).catch(record);
        await c.list('k/').catch(record);
        await c.put('k/new', Buffer.from('x')).catch(record);
        await c.close();
      } catch (err) {
        record(err);
      }
      expect(outcomes.length).toBeGreaterThan(0);
    },
  );

  it('maps a held write lock to HUSH_E_STORAGE after busyTimeoutMs, and then works again', async () => {
    const b = await openSqliteBackend({ path, busyTimeoutMs: 100 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const err = await expectHushError(b.put('k', Buffer.from('v')), 'HUSH_E_STORAGE');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(err.message).toBe(
      `${path} stayed locked by another process for more than 100 ms while writing; retry, or raise storage.busyTimeoutMs`,
    );
    other.exec('ROLLBACK');
    other.close();
    expect(await b.put('k', Buffer.from('v'))).toBe(1);
    await b.close();
  });

  it('reports a path whose directory is a file, or which is a directory, with the fix', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const underFile = await expectHushError(
      openSqliteBackend({ path: join(dir, 'file', 'hush.db') }),
      'HUSH_E_STORAGE',
    );
    expect(underFile.message).toContain(join(dir, 'file', 'hush.db'));
    await mkdir(join(dir, 'sub'));
    const isDir = await expectHushError(openSqliteBackend({ path: join(dir, 'sub') }), 'HUSH_E_STORAGE');
    expect(isDir.message).toBe(
      `${join(dir, 'sub')} is a directory; set storage.path to a file inside it, e.g. ${join(dir, 'sub')}/hush.db`,
    );
  });

  it('rejects bad config with HUSH_E_CONFIG before touching the disk', async () => {
    await expectHushError(openSqliteBackend({ path: '' }), 'HUSH_E_CONFIG');
    const typo = await expectHushError(
      openSqliteBackend({ path, busyTimeout: 5 } as unknown as { path: string }),
      'HUSH_E_CONFIG',
    );
    expect(typo.message).toContain('busyTimeout');
    await expectHushError(openSqliteBackend({ path, busyTimeoutMs: -1 }), 'HUSH_E_CONFIG');
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

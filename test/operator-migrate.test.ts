import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_KEY, migrateBackends } from '../src/operator/index.js';
import type { StorageBackend } from '../src/storage/backend.js';
import { parseBackendUrl } from '../src/storage/backend-location.js';
import { openBackend } from '../src/storage/open-backend.js';
import { openPostgresBackend } from '../src/storage/postgres/postgres-backend.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { buildFixtureStore, expectFixtureReadable } from './operator-fixture.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { assertCompiledCli, HUSH_BIN, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let pg: TestPostgres;
const dirs: string[] = [];
const open: StorageBackend[] = [];

beforeAll(async () => {
  assertCompiledCli();
  pg = await startTestPostgres();
});
afterAll(async () => {
  await pg?.dispose();
});
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
  for (const d of dirs.splice(0)) await removeTempDir(d);
});

async function tempDir(): Promise<string> {
  const dir = await makeTempDir('migrate');
  dirs.push(dir);
  return dir;
}

async function track<T extends StorageBackend>(backend: Promise<T>): Promise<T> {
  const b = await backend;
  open.push(b);
  return b;
}

async function allKeys(backend: StorageBackend): Promise<string[]> {
  const keys: string[] = [];
  let after: string | undefined;
  do {
    const page = await backend.list('', after ? { after } : {});
    keys.push(...page.keys);
    after = page.next;
  } while (after);
  return keys;
}

/** A SQLite file with `n` raw rows (storage level: the migration copies bytes, it never decrypts). */
async function rawSource(n: number): Promise<string> {
  const path = join(await tempDir(), 'big.db');
  const backend = await openSqliteBackend({ path });
  for (let start = 0; start < n; start += 1000) {
    const ops = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      ops.push({
        op: 'put' as const,
        key: `data/p/e/row-${String(i).padStart(6, '0')}#1`,
        value: Buffer.alloc(200, i % 251),
      });
    }
    await backend.batch(ops);
  }
  await backend.close();
  return path;
}

describe('hush operator migrate: SQLite to PostgreSQL', () => {
  it('copies a real store (secrets, versions, tokens) as ciphertext; the PostgreSQL store reads every secret', async () => {
    const dataDir = await tempDir();
    const fixture = await buildFixtureStore(dataDir);
    const { url, drop } = await pg.freshSchema();
    const run = await runHush(['operator', 'migrate', '--from', `sqlite:${dataDir}`, '--to', url, '--json']);
    expect(run.stderr).toMatch(/copied \d+\/\d+ rows/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ verified: true, dryRun: false, resumedAfter: 0 });
    expect(summary.source).toEqual(summary.target);
    expect(summary.copied).toBe(summary.sourceRows);
    expect(summary.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The password never reaches the output: the target is shown masked.
    expect(run.stdout + run.stderr).not.toContain(pg.password);
    expect(summary.to).toContain(':***@');

    const target = await track(openPostgresBackend({ url }));
    const source = await track(openSqliteBackend({ path: join(dataDir, 'hush.db') }));
    expect(await allKeys(target)).toEqual(await allKeys(source));
    expect(await target.get(CHECKPOINT_KEY)).toBeUndefined();
    await expectFixtureReadable(target, join(dataDir, 'root.key'), fixture);
    await drop();
  });

  it('resumes after kill -9 mid-copy and verifies (and reports throughput)', async () => {
    const total = 20_000;
    const sourcePath = await rawSource(total);
    const { url, drop } = await pg.freshSchema();
    const args = [
      'operator',
      'migrate',
      '--from',
      `sqlite:${sourcePath}`,
      '--to',
      url,
      '--page-size',
      '25',
      '--json',
    ];
    const child = spawn(process.execPath, [HUSH_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const firstPage = new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (/copied \d+\/20000 rows/.test(stderr)) resolve();
      });
      child.on('exit', () => reject(new Error(`migrate exited before copying: ${stderr}`)));
    });
    await firstPage;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    expect(child.signalCode).toBe('SIGKILL');

    const target = await track(openPostgresBackend({ url }));
    const checkpoint = await target.get(CHECKPOINT_KEY);
    expect(checkpoint).toBeDefined();
    const { copied, lastKey } = JSON.parse(checkpoint!.value.toString('utf8'));
    const rowsInTarget = (await allKeys(target)).length - 1;
    // The checkpoint and the rows are written in one transaction: they always agree.
    expect(rowsInTarget).toBe(copied);
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThan(total);
    expect((await allKeys(target)).filter((k) => k !== CHECKPOINT_KEY).at(-1)).toBe(lastKey);

    const rerun = await runHush(args, { timeoutMs: 120_000 });
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout);
    expect(summary).toMatchObject({ verified: true, resumedAfter: copied, copied: total - copied });
    expect(summary.target).toEqual(summary.source);
    expect(summary.target.rows).toBe(total);
    expect(await target.get(CHECKPOINT_KEY)).toBeUndefined();
    console.log(
      `migrate SQLite -> PostgreSQL, page 25: ${summary.copied} rows copied in ${summary.copySeconds.toFixed(2)} s = ${summary.rowsPerSecond} rows/s; verify ${summary.target.rows} rows in ${summary.verifySeconds.toFixed(2)} s`,
    );
    await drop();
  });

  it('refuses from == to, a non-empty target, and an unknown scheme, each with one coded line', async () => {
    const dataDir = await tempDir();
    await buildFixtureStore(dataDir);
    const same = await runHush([
      'operator',
      'migrate',
      '--from',
      `sqlite:${dataDir}`,
      '--to',
      `sqlite:${join(dataDir, 'hush.db')}`,
    ]);
    expect(same.code).toBe(2);
    expect(oneLineError(same)).toMatch(/--from and --to both name .*\[HUSH_E_USAGE\]$/);

    const other = await tempDir();
    await buildFixtureStore(other);
    const full = await runHush([
      'operator',
      'migrate',
      '--from',
      `sqlite:${dataDir}`,
      '--to',
      `sqlite:${other}`,
    ]);
    expect(full.code).toBe(4);
    expect(oneLineError(full)).toMatch(
      /is not empty \(\d+ rows\) and holds no migration checkpoint.*\[HUSH_E_ALREADY_EXISTS\]$/,
    );

    const scheme = await runHush([
      'operator',
      'migrate',
      '--from',
      `sqlite:${dataDir}`,
      '--to',
      // hush:allow: a fake password, so the test can check it is masked
      'mysql://root:Sup3rS3cret@db/x',
    ]);
    expect(scheme.code).toBe(2);
    const line = oneLineError(scheme);
    expect(line).toMatch(/unknown backend URL scheme "mysql:".*postgresql:\/\/.*\[HUSH_E_USAGE\]$/);
    expect(line).not.toContain('Sup3rS3cret');

    const missing = await runHush([
      'operator',
      'migrate',
      '--from',
      `sqlite:${join(other, 'nope.db')}`,
      '--to',
      `sqlite:${await tempDir()}`,
    ]);
    expect(oneLineError(missing)).toMatch(/no database at .*nope\.db.*\[HUSH_E_NOT_FOUND\]$/);
  });

  it('a PostgreSQL target that refuses the login fails with one line that never shows the password', async () => {
    const sourcePath = await rawSource(5);
    const wrong = new URL(pg.url);
    // hush:allow: a fake password, so the test can check it never reaches the output
    wrong.password = 'Wr0ng-pa55word-7311';
    const run = await runHush([
      'operator',
      'migrate',
      '--from',
      `sqlite:${sourcePath}`,
      '--to',
      wrong.toString(),
    ]);
    expect(run.code).toBe(8);
    const line = oneLineError(run);
    expect(line).toMatch(/\[HUSH_E_STORAGE\]$/);
    expect(run.stdout + run.stderr).not.toContain('Wr0ng-pa55word-7311');
  });

  it('--dry-run counts and writes nothing', async () => {
    const sourcePath = await rawSource(120);
    const targetDir = await tempDir();
    const run = await runHush([
      'operator',
      'migrate',
      '--from',
      `sqlite:${sourcePath}`,
      '--to',
      `sqlite:${targetDir}`,
      '--dry-run',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      dryRun: true,
      sourceRows: 120,
      copied: 0,
      verified: false,
    });
    const target = await track(openSqliteBackend({ path: join(targetDir, 'hush.db') }));
    expect(await allKeys(target)).toEqual([]);
  });
});

describe('migrateBackends: a source that changes during the copy', () => {
  it('fails verification naming the keys, keeps the checkpoint, and a rerun after writers stop re-copies and verifies', async () => {
    const sourcePath = await rawSource(300);
    const source = await track(openSqliteBackend({ path: sourcePath }));
    // A second connection to the same file: another writer, as a running server would be.
    const writer = await track(openSqliteBackend({ path: sourcePath }));
    const target = await track(openSqliteBackend({ path: join(await tempDir(), 'hush.db') }));
    const labels = { from: 'sqlite:source', to: 'sqlite:target' };
    let wrote = false;
    const failed = await migrateBackends({
      source,
      target,
      labels,
      sourceLocation: sourcePath,
      pageSize: 50,
      onProgress: (p) => {
        if (p.phase === 'copy' && p.copied === 100 && !wrote) {
          wrote = true;
          // Behind the cursor: a changed row and a new row the copy has already passed.
          void writer.put('data/p/e/row-000010#1', Buffer.from('changed'));
          void writer.put('data/p/e/row-000010#2', Buffer.from('new'));
        }
      },
    }).catch((err: unknown) => err);
    expect(failed).toMatchObject({ code: 'HUSH_E_INTEGRITY' });
    const message = (failed as Error).message;
    expect(message).toContain('data/p/e/row-000010#1 (value differs)');
    expect(message).toContain('data/p/e/row-000010#2 (missing in target)');
    expect(message).toMatch(/source 301 rows .* target 300 rows .*stop every writer/);
    expect(await target.get(CHECKPOINT_KEY)).toBeDefined();

    const again = await migrateBackends({ source, target, labels, sourceLocation: sourcePath, pageSize: 50 });
    expect(again).toMatchObject({ verified: true, repaired: 2, copied: 0, resumedAfter: 300 });
    expect(again.target).toEqual(again.source);
    expect(await target.get(CHECKPOINT_KEY)).toBeUndefined();
    expect((await target.get('data/p/e/row-000010#1'))!.value.toString()).toBe('changed');
  });

  it('refuses a target holding an unfinished migration from another source', async () => {
    const target = await track(openBackend(parseBackendUrl(`sqlite:${await tempDir()}`)));
    const first = await track(openSqliteBackend({ path: await rawSource(10) }));
    await target.put(
      CHECKPOINT_KEY,
      Buffer.from(
        JSON.stringify({
          format: 1,
          source: 'f'.repeat(64),
          sourceDisplay: 'sqlite:/elsewhere',
          lastKey: null,
          copied: 0,
          phase: 'copying',
          startedAt: '',
        }),
      ),
    );
    const err = await migrateBackends({
      source: first,
      target,
      labels: { from: 'a', to: 'b' },
      sourceLocation: 'a',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HUSH_E_ALREADY_EXISTS' });
    expect((err as Error).message).toContain('unfinished migration from another source (sqlite:/elsewhere)');
  });
});

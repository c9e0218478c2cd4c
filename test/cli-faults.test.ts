import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unprivilegedIds } from './support/child-process.js';
import { assertCompiledCli, HUSH_BIN, hushIn, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const SECRET = 'tamper-me-secret-value-5150';
let root: string;

beforeAll(async () => {
  assertCompiledCli();
  root = await makeTempDir('cli-faults');
});
afterAll(() => removeTempDir(root));

/** A fresh initialised store holding SECRET at a/dev/db. */
async function storeWithSecret(name: string) {
  const dir = join(root, name);
  const hush = hushIn(dir);
  expect((await hush(['init'])).code).toBe(0);
  expect((await hush(['put', 'a/dev/db'], { input: SECRET })).code).toBe(0);
  return { dir, hush };
}

describe('hush: bad input and faults give one coded line and a stable exit code', () => {
  it('no store: exit 5 with the fix, and no database is created', async () => {
    const dir = join(root, 'empty');
    const run = await hushIn(dir)(['get', 'a/dev/db']);
    expect(run.code).toBe(5);
    expect(oneLineError(run)).toBe(
      `hush: no store in ${dir} (from --data-dir); run \`hush init\`, or pass --data-dir DIR / set HUSH_DATA_DIR (or HUSH_ADDR for a server) [HUSH_E_NOT_INITIALIZED]`,
    );
    expect(existsSync(join(dir, 'hush.db'))).toBe(false);
  });

  it('invalid address: exit 2 HUSH_E_INVALID_ADDRESS', async () => {
    const { hush } = await storeWithSecret('address');
    for (const bad of ['a/dev', 'a/dev/bad name', 'a/../x/y']) {
      const run = await hush(['put', bad], { input: 'v' });
      expect(run.code).toBe(2);
      expect(oneLineError(run)).toMatch(/\[HUSH_E_INVALID_ADDRESS\]$/);
    }
    const get = await hush(['get', 'a/dev/with space']);
    expect(get.code).toBe(2);
  });

  it('oversize value on stdin: exit 2 HUSH_E_TOO_LARGE and nothing written', async () => {
    const { hush } = await storeWithSecret('oversize');
    const run = await hush(['put', 'a/dev/big'], { input: Buffer.alloc(1024 * 1024 + 1, 0x61) });
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/over 1048576 bytes.*\[HUSH_E_TOO_LARGE\]$/);
    expect((await hush(['get', 'a/dev/big'])).code).toBe(3);
  });

  it('tampered value blob in hush.db: exit 7 HUSH_E_INTEGRITY, no value on stderr', async () => {
    const { dir, hush } = await storeWithSecret('tamper');
    const db = new Database(join(dir, 'hush.db'));
    const row = db.prepare('SELECT value FROM kv WHERE key = ?').get('data/a/dev/db#1') as { value: Buffer };
    const blob = Buffer.from(row.value);
    for (const i of [blob.length - 5, blob.length - 20]) blob[i] = (blob[i] ?? 0) ^ 0xff;
    db.prepare('UPDATE kv SET value = ? WHERE key = ?').run(blob, 'data/a/dev/db#1');
    db.close();
    const run = await hush(['get', 'a/dev/db']);
    expect(run.code).toBe(7);
    expect(oneLineError(run)).toMatch(/\[HUSH_E_INTEGRITY\]$/);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('a garbage database file: exit 8 HUSH_E_STORAGE, one line', async () => {
    const dir = join(root, 'garbage');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'hush.db'), Buffer.alloc(8192, 0x5a), { mode: 0o600 });
    const run = await hushIn(dir)(['get', 'a/dev/db']);
    expect(run.code).toBe(8);
    expect(oneLineError(run)).toMatch(/\[HUSH_E_STORAGE\]$/);
  });

  it('corrupted key file: exit 6 HUSH_E_UNSEAL_FAILED naming the file', async () => {
    const { dir, hush } = await storeWithSecret('keyfile');
    await writeFile(join(dir, 'root.key'), 'hush-key-file-v1:not-a-key\n');
    const run = await hush(['get', 'a/dev/db']);
    expect(run.code).toBe(6);
    expect(oneLineError(run)).toMatch(/key file .*root\.key is corrupted.*\[HUSH_E_UNSEAL_FAILED\]$/);
    const missing = await hush(['get', 'a/dev/db', '--key-file', join(dir, 'nope.key')]);
    expect(missing.code).toBe(6);
    expect(oneLineError(missing)).toMatch(/nope\.key does not exist/);
  });

  it('data dir under a regular file: init exits 8 HUSH_E_STORAGE', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const run = await runHush(['init', '--data-dir', join(file, 'store')]);
    expect(run.code).toBe(8);
    expect(oneLineError(run)).toMatch(/ENOTDIR.*\[HUSH_E_STORAGE\]$/);
  });

  it('data dir the user cannot write (child runs as nobody when we are root): exit 8', async () => {
    const dir = join(root, 'locked');
    await mkdir(dir, { mode: 0o755 });
    await chmod(root, 0o755);
    await chmod(dir, 0o555);
    const run = await runHush(['init', '--data-dir', join(dir, 'store')], unprivilegedIds());
    expect(run.code).toBe(8);
    expect(oneLineError(run)).toMatch(/EACCES.*\[HUSH_E_STORAGE\]$/);
  });

  it('--json errors are one JSON object on stderr', async () => {
    const { hush } = await storeWithSecret('json-error');
    const run = await hush(['get', 'a/dev/missing', '--json']);
    expect(run.code).toBe(3);
    expect(JSON.parse(oneLineError(run))).toMatchObject({ error: { code: 'HUSH_E_NOT_FOUND' } });
  });

  it('usage errors exit 2: unknown option, bad --version, --field on a plain value', async () => {
    const { hush } = await storeWithSecret('usage');
    expect((await hush(['get', 'a/dev/db', '--bogus'])).code).toBe(2);
    const jsonUsage = await hush(['get', 'a/dev/db', '--bogus', '--json']);
    expect(jsonUsage.code).toBe(2);
    expect(JSON.parse(oneLineError(jsonUsage))).toEqual({
      error: { code: 'HUSH_E_USAGE', message: "unknown option '--bogus'" },
    });
    const bad = await hush(['get', 'a/dev/db', '--version', 'two']);
    expect(bad.code).toBe(2);
    expect(oneLineError(bad)).toMatch(/--version takes a whole number >= 1, got "two"/);
    const field = await hush(['get', 'a/dev/db', '--field', 'x']);
    expect(field.code).toBe(2);
    expect(field.stderr).not.toContain(SECRET);
  });

  it('rotate-root killed between commit and key-file rename: the next command finishes the rename', async () => {
    const { dir, hush } = await storeWithSecret('rotate-crash');
    const keyFile = join(dir, 'root.key');
    const oldKey = await readFile(keyFile, 'utf8');
    expect((await hush(['operator', 'rotate-root'])).code).toBe(0);
    // Recreate the state a kill after the commit leaves: the new key still at root.key.next, the old at root.key.
    await rename(keyFile, `${keyFile}.next`);
    await writeFile(keyFile, oldKey, { mode: 0o600 });
    const run = await hush(['get', 'a/dev/db']);
    expect(run).toMatchObject({ code: 0, stdout: `${SECRET}\n` });
    expect(existsSync(`${keyFile}.next`)).toBe(false);
    expect(await readFile(keyFile, 'utf8')).not.toBe(oldKey);
    expect((await hush(['get', 'a/dev/db'])).code).toBe(0);
  });
});

describe('a reader that stops early', () => {
  it('`hush completion fish | head -1`: hush ends quietly (128 + SIGPIPE), no stack trace', async () => {
    const child = spawn(process.execPath, [HUSH_BIN, 'completion', 'fish'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader is gone before hush writes a byte (node takes far longer to start than this close).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });
});

import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCompiledCli, hushIn, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let hush: ReturnType<typeof hushIn>;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('cli-session');
  hush = hushIn(dir);
});
afterAll(() => removeTempDir(dir));

const json = <T>(text: string): T => JSON.parse(text) as T;

describe('hush local session (real child processes, key-file seal)', () => {
  it('init prints the key-file warning and creates hush.db and root.key mode 0600', async () => {
    const run = await hush(['init', '--json']);
    expect(run.code).toBe(0);
    expect(json<{ sealKind: string }>(run.stdout).sealKind).toBe('key-file');
    expect(run.stderr).toMatch(/warning: the key-file seal keeps the key .* beside the data/);
    for (const f of ['hush.db', 'root.key']) expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
    const again = await hush(['init']);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/already initialised.*\[HUSH_E_ALREADY_INITIALIZED\]/);
  });

  it('put from stdin / get round-trips; masked on request shapes, raw to a pipe', async () => {
    const put = await hush(['put', 'shop/dev/db-password', '--json'], { input: 'hunter2-the-value\n' });
    expect(put.code).toBe(0);
    expect(json(put.stdout)).toMatchObject({ path: 'shop/dev/db-password', version: 1 });
    const get = await hush(['get', 'shop/dev/db-password']);
    expect(get).toMatchObject({ code: 0, stdout: 'hunter2-the-value\n' });
    const full = json<Record<string, unknown>>(
      (await hush(['get', 'shop/dev/db-password', '--json'])).stdout,
    );
    expect(full).toMatchObject({
      path: 'shop/dev/db-password',
      version: 1,
      value: 'hunter2-the-value',
      tags: {},
    });
    expect(full['createdBy']).toMatch(/^local:/);
  });

  it('put KEY=VALUE pairs, --field, --file, metadata flags and --cas', async () => {
    expect(
      (
        await hush([
          'put',
          'shop/dev/api',
          'user=app',
          'token=tok-123',
          '--description',
          'api creds',
          '--tag',
          'team=core',
          '--tag',
          'tier=1',
          '--expires',
          '2030-01-01T00:00:00Z',
        ])
      ).code,
    ).toBe(0);
    expect((await hush(['get', 'shop/dev/api', '--field', 'token'])).stdout).toBe('tok-123\n');
    const f = join(dir, 'value.txt');
    await writeFile(f, 'from-a-file');
    expect((await hush(['put', 'shop/dev/api2', '--file', f, '--cas', '0'])).code).toBe(0);
    expect((await hush(['get', 'shop/dev/api2'])).stdout).toBe('from-a-file\n');
    const info = json<{ description: string; tags: object; expiresAt: string }>(
      (await hush(['versions', 'shop/dev/api', '--json'])).stdout,
    );
    expect(info).toMatchObject({
      description: 'api creds',
      tags: { team: 'core', tier: '1' },
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    const stale = await hush(['put', 'shop/dev/api2', '--cas', '0'], { input: 'x' });
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(
      /check-and-set failed for shop\/dev\/api2: expected no secret yet \(cas 0\), found version 1.*\[HUSH_E_CAS_CONFLICT\]/,
    );
  });

  it('--json-value stores fields; yaml import; a non-object JSON value is refused', async () => {
    const run = await hush(['put', 'shop/dev/cfg', '--json-value'], { input: '{"host":"db1","port":5432}' });
    expect(run.code).toBe(0);
    expect((await hush(['get', 'shop/dev/cfg', '--field', 'port'])).stdout).toBe('5432\n');
    const bad = await hush(['put', 'shop/dev/cfg', '--json-value'], { input: '[1,2]' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected a JSON object.*\[HUSH_E_INVALID_INPUT\]/);
    const yaml = await hush(['import', 'yml/dev', '--format', 'yaml', '--json'], {
      input: 'A_KEY: one\nB_KEY: two\n',
    });
    expect(JSON.parse(yaml.stdout)).toMatchObject({ counts: { created: 2 } });
    expect((await hush(['export', 'yml/dev', '--format', 'env'])).stdout).toMatch(
      /^A_KEY=.*one.*\nB_KEY=.*two/,
    );
  });

  it('refuses a bare value in argv unless --allow-argv', async () => {
    const refused = await hush(['put', 'shop/dev/argv', 'argv-secret-value']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to read a secret value from the command line.*\[HUSH_E_USAGE\]/);
    expect(refused.stderr).not.toContain('argv-secret-value');
    expect((await hush(['put', 'shop/dev/argv', 'argv-secret-value', '--allow-argv'])).code).toBe(0);
  });

  it('versions, delete, undelete, destroy, rollback', async () => {
    const a = 'shop/dev/db-password';
    await hush(['put', a], { input: 'second' });
    await hush(['put', a], { input: 'third' });
    const del = await hush(['delete', a, '--json']);
    expect(json(del.stdout)).toEqual({ path: a, changed: [3] });
    const gone = await hush(['get', a]);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/\[HUSH_E_DELETED\]/);
    expect((await hush(['undelete', a])).code).toBe(0);
    expect((await hush(['get', a])).stdout).toBe('third\n');
    expect(json((await hush(['destroy', a, '--versions', '2', '--json'])).stdout)).toEqual({
      path: a,
      changed: [2],
    });
    const destroyed = await hush(['get', a, '--version', '2']);
    expect(destroyed.code).toBe(3);
    expect(destroyed.stderr).toMatch(/\[HUSH_E_DESTROYED\]/);
    const rb = await hush(['rollback', a, '--to', '1', '--json']);
    expect(json(rb.stdout)).toMatchObject({ path: a, version: 4, from: 1 });
    expect((await hush(['get', a])).stdout).toBe('hunter2-the-value\n');
    const versions = json<{ current: number; versions: { version: number; state: string }[] }>(
      (await hush(['versions', a, '--json'])).stdout,
    );
    expect(versions.current).toBe(4);
    expect(versions.versions.map((v) => `${v.version}:${v.state}`)).toEqual([
      '1:active',
      '2:destroyed',
      '3:active',
      '4:active',
    ]);
    const human = await hush(['versions', a]);
    expect(human.stdout).toMatch(/VERSION\s+STATE\s+CREATED\s+BY\n1\s+active/);
  });

  it('list one level, recursive, and paged with --limit/--cursor', async () => {
    await hush(['put', 'shop/dev/nested/deep'], { input: 'n' });
    const level = json<{ entries: { name: string; kind: string }[] }>(
      (await hush(['list', 'shop/dev', '--json'])).stdout,
    );
    expect(level.entries.map((e) => e.name)).toEqual([
      'api',
      'api2',
      'argv',
      'cfg',
      'db-password',
      'nested/',
    ]);
    const all = await hush(['list', 'shop', '-r']);
    expect(all.stdout.trim().split('\n')).toContain('shop/dev/nested/deep');
    const page1 = json<{ entries: unknown[]; cursor: string }>(
      (await hush(['list', 'shop/dev', '-r', '--limit', '2', '--json'])).stdout,
    );
    expect(page1.entries).toHaveLength(2);
    const page2 = json<{ entries: { name: string }[] }>(
      (await hush(['list', 'shop/dev', '-r', '--limit', '10', '--cursor', page1.cursor, '--json'])).stdout,
    );
    expect(page2.entries.map((e) => e.name)).toEqual(['argv', 'cfg', 'db-password', 'nested/deep']);
  });

  it('mv renames (refusing to overwrite unless --overwrite)', async () => {
    const mv = await hush(['mv', 'shop/dev/nested', 'shop/dev/moved', '--json']);
    expect(json(mv.stdout)).toEqual({ moved: [{ from: 'shop/dev/nested/deep', to: 'shop/dev/moved/deep' }] });
    expect((await hush(['get', 'shop/dev/moved/deep'])).stdout).toBe('n\n');
    expect((await hush(['get', 'shop/dev/nested/deep'])).code).toBe(3);
    const clash = await hush(['mv', 'shop/dev/api2', 'shop/dev/argv']);
    expect(clash.code).toBe(4);
    expect(clash.stderr).toMatch(/\[HUSH_E_ALREADY_EXISTS\]/);
    expect((await hush(['mv', 'shop/dev/api2', 'shop/dev/argv', '--overwrite'])).code).toBe(0);
    expect((await hush(['get', 'shop/dev/argv'])).stdout).toBe('from-a-file\n');
  });

  it('import (env from stdin, json from a file) with a per-key report; export to stdout and a 0600 file', async () => {
    const env = await hush(['import', 'app/prod', '--json'], {
      input: 'DB_URL=postgres://u:p@h/db\nAPI_KEY=abc123\n',
    });
    expect(env.code).toBe(0);
    expect(json<{ counts: object }>(env.stdout).counts).toMatchObject({ created: 2, failed: 0 });
    const file = join(dir, 'more.json');
    await writeFile(file, JSON.stringify({ EXTRA: 'x1', creds: { user: 'u' } }));
    const imp = await hush(['import', 'app/prod', file]);
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(/EXTRA\s+created/);
    const exported = await hush(['export', 'app/prod', '--format', 'json']);
    expect(JSON.parse(exported.stdout)).toEqual({
      API_KEY: 'abc123',
      DB_URL: 'postgres://u:p@h/db',
      EXTRA: 'x1',
      creds: { user: 'u' },
    });
    const out = join(dir, 'out.env');
    const toFile = await hush(['export', 'app/prod', '--out', out, '--json']);
    expect(json(toFile.stdout)).toMatchObject({ out, format: 'env' });
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await readFile(out, 'utf8')).toMatch(/API_KEY=.*abc123/);
  });

  it('import exits 2 when a key fails, reporting each key', async () => {
    const run = await hush(['import', 'app/prod', '--format', 'json', '--json'], {
      input: JSON.stringify({ OK_KEY: 'fine', 'bad key!': 'v' }),
    });
    expect(run.code).toBe(2);
    const report = json<{ outcomes: { key: string; status: string }[] }>(run.stdout);
    expect(report.outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'OK_KEY', status: 'created' }),
        expect.objectContaining({ key: 'bad key!', status: 'failed' }),
      ]),
    );
    expect(run.stderr).toMatch(/import finished with 1 failed key/);
  });

  it('keys rotate adds a KEK version and rewraps online; values still read', async () => {
    const run = await hush(['keys', 'rotate', 'app/prod', '--json']);
    expect(run.code).toBe(0);
    const out = json<{ keyring: { current: number }; rewrap: { secrets: number; rewrapped: number } }>(
      run.stdout,
    );
    expect(out.keyring.current).toBe(2);
    expect(out.rewrap.secrets).toBe(5);
    expect(out.rewrap.rewrapped).toBe(5);
    const again = json<{ rewrap: { rewrapped: number; alreadyCurrent: number } }>(
      (await hush(['keys', 'rotate', 'app/prod', '--json'])).stdout,
    );
    expect(again.rewrap).toMatchObject({ rewrapped: 5, alreadyCurrent: 0 });
    expect((await hush(['get', 'app/prod/API_KEY'])).stdout).toBe('abc123\n');
    const noRewrap = json<{ keyring: { current: number }; rewrap?: unknown }>(
      (await hush(['keys', 'rotate', 'app/prod', '--no-rewrap', '--json'])).stdout,
    );
    expect(noRewrap.keyring.current).toBe(4);
    expect(noRewrap.rewrap).toBeUndefined();
  });

  it('operator rotate-root swaps the key file; data still reads, the old key file no longer opens the store', async () => {
    const oldKey = await readFile(join(dir, 'root.key'), 'utf8');
    const run = await hush(['operator', 'rotate-root', '--json']);
    expect(run.code).toBe(0);
    expect(json(run.stdout)).toMatchObject({ rotated: true, sealKind: 'key-file' });
    const newKey = await readFile(join(dir, 'root.key'), 'utf8');
    expect(newKey).not.toBe(oldKey);
    expect((await hush(['get', 'app/prod/API_KEY'])).stdout).toBe('abc123\n');
    await writeFile(join(dir, 'root.key'), oldKey);
    const stale = await hush(['get', 'app/prod/API_KEY']);
    expect(stale.code).toBe(6);
    expect(stale.stderr).toMatch(/\[HUSH_E_UNSEAL_FAILED\]/);
    await writeFile(join(dir, 'root.key'), newKey);
  });

  it('seal locks every command down until unseal; status reports it', async () => {
    expect((await hush(['seal'])).code).toBe(0);
    const status = json<{ lockedDown: boolean; autoUnseal: boolean; sealKind: string }>(
      (await hush(['status', '--json'])).stdout,
    );
    expect(status).toMatchObject({
      lockedDown: true,
      autoUnseal: false,
      sealKind: 'key-file',
      initialized: true,
    });
    const sealed = await hush(['get', 'app/prod/API_KEY']);
    expect(sealed.code).toBe(5);
    expect(sealed.stderr).toMatch(/sealed with `hush seal`.*\[HUSH_E_SEALED\]/);
    expect((await hush(['unseal'])).code).toBe(0);
    expect((await hush(['get', 'app/prod/API_KEY'])).stdout).toBe('abc123\n');
  });

  it('global options work before the command too, and HUSH_DATA_DIR is honoured', async () => {
    expect((await runHush(['--data-dir', dir, 'get', 'app/prod/API_KEY'])).stdout).toBe('abc123\n');
    expect((await runHush(['get', 'app/prod/API_KEY'], { env: { HUSH_DATA_DIR: dir } })).stdout).toBe(
      'abc123\n',
    );
  });
});

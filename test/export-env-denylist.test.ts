import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCompiledCli, hushIn, oneLineError } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// `hush export --format env|dotenv` keeps the stored keys: a secret named PATH or LD_PRELOAD under the prefix would
// otherwise be exported as that variable to whoever sources the file (issue 13.9, as `hush run` refuses it).
let dir: string;
let hush: ReturnType<typeof hushIn>;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('export-denylist');
  hush = hushIn(dir);
  expect((await hush(['init'])).code).toBe(0);
  for (const [path, value] of [
    ['app/bad/LD_PRELOAD', '/tmp/evil.so'],
    ['app/bad/DB_URL', 'postgres://db/app'],
    ['app/path/PATH', '/tmp/evil-bin'],
    ['app/path/node_options', '--require /tmp/evil.js'],
    ['app/ok/DB_URL', 'postgres://db/app'],
  ])
    expect((await hush(['put', path as string], { input: value })).code).toBe(0);
}, 60_000);
afterAll(() => removeTempDir(dir));

describe('hush export applies the loader and interpreter denylist to env-style formats', () => {
  for (const format of ['env', 'dotenv']) {
    it(`${format}: refuses a denylisted key, printing nothing`, async () => {
      const res = await hush(['export', 'app/bad', '--format', format]);
      expect(res.code).toBe(2);
      expect(oneLineError(res)).toMatch(
        /app\/bad\/LD_PRELOAD would be exported as LD_PRELOAD, which makes programs load or run code; .*--map LD_PRELOAD=LD_PRELOAD/,
      );
      expect(res.stdout).toBe('');
      // Names compare case-insensitively, as for hush run.
      const lower = await hush(['export', 'app/path', '--format', format, '--map', 'PATH=PATH']);
      expect(oneLineError(lower)).toMatch(/app\/path\/node_options would be exported as node_options/);
    });

    it(`${format}: exports a denylisted key the operator names with --map KEY=KEY`, async () => {
      const res = await hush(['export', 'app/bad', '--format', format, '--map', 'LD_PRELOAD=LD_PRELOAD']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/LD_PRELOAD=/);
      expect(res.stdout).toMatch(/DB_URL=/);
    });
  }

  it('--map cannot rename in an env export, and must match a key', async () => {
    const rename = await hush(['export', 'app/bad', '--format', 'env', '--map', 'LD_PRELOAD=X']);
    expect(rename.code).toBe(2);
    expect(oneLineError(rename)).toMatch(/--map only names a denylisted key as itself/);
    const typo = await hush(['export', 'app/ok', '--format', 'env', '--map', 'PAHT=PAHT']);
    expect(oneLineError(typo)).toMatch(/--map PAHT=PAHT matched no exported key/);
  });

  it('json and yaml keep every key (they are not loaded into an environment)', async () => {
    const res = await hush(['export', 'app/bad', '--format', 'json']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toHaveProperty('LD_PRELOAD');
  });

  it('reports keys that are already set in the environment (names only)', async () => {
    const res = await hush(['export', 'app/ok', '--format', 'env'], { env: { DB_URL: 'from-env' } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('hush: DB_URL from app/ok/DB_URL is also set in this environment');
    expect(res.stderr).not.toContain('postgres://');
  });
});

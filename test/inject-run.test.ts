import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNodeScript } from './support/child-process.js';
import {
  assertCompiledCli,
  HUSH_BIN,
  hushIn,
  oneLineError,
  type RunHushOptions,
  runHush,
} from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let hush: ReturnType<typeof hushIn>;
const started = Date.now();
const VALUE = 'inject-canary-5f3a9c1e7d';

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('inject-run');
  hush = hushIn(dir);
  expect((await hush(['init'])).code).toBe(0);
  expect((await hush(['put', 'pay/prod/db/password'], { input: VALUE })).code).toBe(0);
  expect((await hush(['put', 'pay/prod/api-key'], { input: 'key-1' })).code).toBe(0);
  expect((await hush(['put', 'pay/prod/creds', 'user=app', 'port=5432'])).code).toBe(0);
  expect((await hush(['put', 'pay/other/token'], { input: 'tok' })).code).toBe(0);
}, 60_000);
afterAll(() => removeTempDir(dir));

/** `hush run` with --data-dir placed before `--` (hushIn appends it, which would hand it to the child). */
const run = (args: readonly string[], options?: RunHushOptions) =>
  runHush(['run', '--data-dir', dir, ...args], options);

/** `node -e` code that prints the named variables as one JSON line. */
const printEnv = (...names: string[]) =>
  `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map(n => [n, process.env[n] ?? null]))))`;

describe('hush run (real child processes)', () => {
  it('injects secrets below the prefix: one level, recursive, object fields', async () => {
    const flat = await run([
      '--prefix',
      'pay/prod',
      '--',
      'node',
      '-e',
      printEnv('API_KEY', 'DB_PASSWORD', 'CREDS_USER', 'CREDS_PORT'),
    ]);
    expect(flat.code).toBe(0);
    expect(JSON.parse(flat.stdout)).toEqual({
      API_KEY: 'key-1',
      DB_PASSWORD: null,
      CREDS_USER: 'app',
      CREDS_PORT: '5432',
    });
    const deep = await run(['--prefix', 'pay/prod', '-r', '--', 'node', '-e', printEnv('DB_PASSWORD')]);
    expect(JSON.parse(deep.stdout)).toEqual({ DB_PASSWORD: VALUE });
  });

  it('mapping flags: --map, --env-prefix, --include/--exclude, --fields json, several prefixes', async () => {
    const result = await run([
      '--prefix',
      'pay/prod',
      '--prefix',
      'pay/other',
      '-r',
      '--env-prefix',
      'APP_',
      '--map',
      'db/password=PGPASSWORD',
      '--exclude',
      'api-*',
      '--fields',
      'json',
      '--',
      'node',
      '-e',
      printEnv('PGPASSWORD', 'APP_API_KEY', 'APP_CREDS', 'APP_TOKEN'),
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      PGPASSWORD: VALUE,
      APP_API_KEY: null,
      APP_CREDS: JSON.stringify({ user: 'app', port: '5432' }),
      APP_TOKEN: 'tok',
    });
  });

  it('secrets win over existing variables unless --no-override', async () => {
    const env = { API_KEY: 'from-parent' };
    const args = ['--prefix', 'pay/prod', '--', 'node', '-e', printEnv('API_KEY')];
    expect(JSON.parse((await run([...args], { env })).stdout)).toEqual({ API_KEY: 'key-1' });
    expect(JSON.parse((await run(['--no-override', ...args], { env })).stdout)).toEqual({
      API_KEY: 'from-parent',
    });
  });

  it('a collision is a clear error naming both secrets, and no command runs', async () => {
    expect((await hush(['put', 'pay/clash/db-pw'], { input: 'a' })).code).toBe(0);
    expect((await hush(['put', 'pay/clash/db.pw'], { input: 'b' })).code).toBe(0);
    const result = await run(['--prefix', 'pay/clash', '--', 'node', '-e', 'console.log("ran")']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(oneLineError(result)).toMatch(
      /pay\/clash\/db-pw and pay\/clash\/db\.pw both map to DB_PW.*\[HUSH_E_INVALID_INPUT\]/,
    );
  });

  it('propagates the exit code, 128+signal, 127 for a missing command, usage errors', async () => {
    expect((await run(['--prefix', 'pay/prod', '--', 'node', '-e', 'process.exit(7)'])).code).toBe(7);
    const killed = await run([
      '--prefix',
      'pay/prod',
      '--',
      'node',
      '-e',
      'process.kill(process.pid, "SIGKILL")',
    ]);
    expect(killed.code).toBe(137);
    const missing = await run(['--prefix', 'pay/prod', '--', 'no-such-command-hush-test']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/command not found: no-such-command-hush-test/);
    const noCmd = await run(['--prefix', 'pay/prod']);
    expect(noCmd.code).toBe(2);
    expect(oneLineError(noCmd)).toMatch(/needs a command.*\[HUSH_E_USAGE\]/);
    const noPrefix = await run(['--', 'true']);
    expect(oneLineError(noPrefix)).toMatch(/at least one --prefix.*\[HUSH_E_USAGE\]/);
  });

  it('options after the command name belong to the command', async () => {
    const result = await run([
      '--prefix',
      'pay/prod',
      '--',
      'node',
      '-e',
      'console.log(process.argv.slice(1).join(" "))',
      '--',
      '--json',
      '-r',
    ]);
    expect(result.stdout.trim()).toBe('--json -r');
    // Without `--` too: options after the command name are passed through, not parsed by hush.
    const bare = await run([
      '--prefix',
      'pay/prod',
      'node',
      '-e',
      'console.log(process.argv.length)',
      '--',
      '--json',
    ]);
    expect(bare.stdout.trim()).toBe('2');
  });

  /** `hush run --prefix pay/prod -- node -e script` as a live child, for the signal tests. */
  function spawnRunNode(script: string) {
    return spawnNodeScript(HUSH_BIN, [
      'run',
      '--prefix',
      'pay/prod',
      '--data-dir',
      dir,
      '--',
      'node',
      '-e',
      script,
    ]);
  }

  it('forwards SIGTERM: the child handles it and hush exits with the child code', async () => {
    const child = spawnRunNode(
      'process.on("SIGTERM", () => { console.log("child got SIGTERM"); process.exit(42) }); console.log("ready"); setInterval(() => {}, 1000)',
    );
    await child.waitForLine(/^ready$/);
    child.process.kill('SIGTERM');
    await child.waitForLine(/^child got SIGTERM$/);
    expect((await child.exited).code).toBe(42);
  });

  it('forwards SIGINT to a child that does not handle it: hush exits 130', async () => {
    const child = spawnRunNode('console.log("ready"); setInterval(() => {}, 1000)');
    await child.waitForLine(/^ready$/);
    child.process.kill('SIGINT');
    expect((await child.exited).code).toBe(130);
  });

  it('never writes a value to disk: no new file in the data dir or temp dir holds it', async () => {
    expect((await run(['--prefix', 'pay/prod', '-r', '--', 'node', '-e', 'process.exit(0)'])).code).toBe(0);
    for (const root of [dir, tmpdir()]) {
      for (const name of await readdir(root)) {
        const file = join(root, name);
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile() || info.mtimeMs < started - 1000 || info.size > 4 * 1024 * 1024) continue;
        const text = await readFile(file, 'latin1').catch(() => '');
        expect(text.includes(VALUE), `${file} holds the value`).toBe(false);
      }
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCompiledCli, hushIn, oneLineError, type RunHushOptions, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('inject-denylist');
  const hush = hushIn(dir);
  expect((await hush(['init'])).code).toBe(0);
  const put = async (path: string, value: string | Buffer) =>
    expect((await hush(['put', path], { input: value })).code).toBe(0);
  await put('app/preload/ld-preload', '/tmp/evil.so');
  await put('app/path/path', '/tmp/evil-bin');
  await put('app/node/node-options', '--require /tmp/evil.js');
  await put('app/python/pythonstartup', '/tmp/evil.py');
  await put('app/git/git-ssh-command', 'touch /tmp/pwned');
  await put('app/ok/db-url', 'postgres://db/app');
  await put('app/nul/blob', Buffer.from('a\0b'));
}, 60_000);
afterAll(() => removeTempDir(dir));

const run = (args: readonly string[], options?: RunHushOptions) =>
  runHush(['run', '--data-dir', dir, ...args], options);
const printEnv = (...names: string[]) =>
  `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map(n => [n, process.env[n] ?? null]))))`;

describe('hush run refuses loader and interpreter variables from secrets', () => {
  const cases: [string, string, string][] = [
    ['app/preload', 'app/preload/ld-preload', 'LD_PRELOAD'],
    ['app/path', 'app/path/path', 'PATH'],
    ['app/node', 'app/node/node-options', 'NODE_OPTIONS'],
    ['app/python', 'app/python/pythonstartup', 'PYTHONSTARTUP'],
    ['app/git', 'app/git/git-ssh-command', 'GIT_SSH_COMMAND'],
  ];
  for (const [prefix, source, name] of cases) {
    it(`refuses ${name} and never starts the command`, async () => {
      const res = await run(['--prefix', prefix, '--', 'node', '-e', 'console.log("started")']);
      expect(res.code).toBe(2);
      expect(res.stdout).not.toContain('started');
      const line = oneLineError(res);
      expect(line).toContain(`${source} maps to ${name}`);
      expect(line).toContain(`--map`);
    });
  }

  it('passes one the operator names with --map', async () => {
    const res = await run([
      '--prefix',
      'app/node',
      '--map',
      'NODE_OPTIONS=NODE_OPTIONS',
      '--',
      'printenv',
      'NODE_OPTIONS',
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe('--require /tmp/evil.js');
  });

  it('says so when a secret replaces (or, with --no-override, yields to) a variable already set', async () => {
    const replaced = await run(['--prefix', 'app/ok', '--', 'node', '-e', printEnv('DB_URL')], {
      env: { DB_URL: 'from-env' },
    });
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout)).toEqual({ DB_URL: 'postgres://db/app' });
    expect(replaced.stderr).toContain('DB_URL from app/ok/db-url replaces the variable already set');
    expect(replaced.stderr).not.toContain('postgres://db/app');
    const kept = await run(['--prefix', 'app/ok', '--no-override', '--', 'node', '-e', printEnv('DB_URL')], {
      env: { DB_URL: 'from-env' },
    });
    expect(JSON.parse(kept.stdout)).toEqual({ DB_URL: 'from-env' });
    expect(kept.stderr).toContain('DB_URL is already set in the environment; app/ok/db-url is not used');
  });

  it('names the secret holding a NUL instead of failing internally', async () => {
    const res = await run(['--prefix', 'app/nul', '--', 'true']);
    expect(res.code).toBe(2);
    expect(oneLineError(res)).toMatch(/app\/nul\/blob holds a NUL byte/);
  });
});

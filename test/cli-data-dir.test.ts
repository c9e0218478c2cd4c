import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/hush-server.js';
import { HUSH_BIN, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// One data-directory rule for the server and the CLI: after `npm start` (a server in ./data of its working
// directory), the CLI run in that directory finds the same data; elsewhere it says where it looked and why.

let root: string;
let project: string;
let home: string;

/** A user with an empty home: the default data directory holds nothing. */
const user = (extra: Record<string, string> = {}) => ({
  HOME: home,
  XDG_DATA_HOME: join(home, '.local/share'),
  ...extra,
});

beforeAll(async () => {
  root = await makeTempDir('data-dir');
  project = join(root, 'project');
  home = join(root, 'home');
  await mkdir(project);
  await mkdir(home);
  // What `npm start` does: `hush server` with no --data-dir, in the project directory.
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HUSH_')) env[k] = v;
  Object.assign(env, user(), { HUSH_LISTEN: `127.0.0.1:${port}` });
  const server = spawn(process.execPath, [HUSH_BIN, 'server'], {
    cwd: project,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  server.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  const exited = new Promise((resolve) => server.on('close', resolve));
  const deadline = Date.now() + 60_000;
  while (!/listening on/.test(out)) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await fetch(`http://127.0.0.1:${port}/v1/sys/health`); // one audited request at least
  server.kill('SIGTERM');
  await exited;
}, 120_000);

afterAll(async () => {
  if (root) await removeTempDir(root);
});

describe('the data directory rule', () => {
  it('finds the server store in ./data: `hush audit verify` after `npm start` works in that directory', async () => {
    const run = await runHush(['audit', 'verify'], { cwd: project, env: user() });
    expect(run.code, run.stderr).toBe(0);
  });

  it('prefers HUSH_DATA_DIR over ./data, and says so when nothing is there', async () => {
    const elsewhere = join(root, 'other');
    const run = await runHush(['audit', 'verify'], { cwd: project, env: user({ HUSH_DATA_DIR: elsewhere }) });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`in ${elsewhere} (from HUSH_DATA_DIR)`);
  });

  it('elsewhere, uses the user default and says where it looked and why', async () => {
    const audit = await runHush(['audit', 'verify'], { cwd: root, env: user() });
    expect(audit.code).toBe(3);
    expect(audit.stderr).toContain(
      `in ${join(home, '.local/share/hush')} (the default: no --data-dir, no HUSH_DATA_DIR, no Hush data in ./data)`,
    );
    const get = await runHush(['get', 'a/dev/db'], { cwd: root, env: user() });
    expect(get.code).toBe(5);
    expect(get.stderr).toContain(`no store in ${join(home, '.local/share/hush')} (the default:`);
  });

  it("another program's data/audit.jsonl is not Hush data: init and get there use the user default", async () => {
    const other = join(root, 'other-app');
    await mkdir(join(other, 'data'), { recursive: true });
    await writeFile(join(other, 'data', 'audit.jsonl'), '{"event":"login","user":"bob"}\n');
    const get = await runHush(['get', 'a/dev/db'], { cwd: other, env: user() });
    expect(get.stderr).toContain('(the default: no --data-dir');
    const init = await runHush(['init'], { cwd: other, env: user() });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(join(home, '.local/share/hush'));
    expect(await readdir(join(other, 'data'))).toEqual(['audit.jsonl']); // no hush.db, no root.key written there
  });

  it('hush init never creates in ./data, even beside a server store', async () => {
    const init = await runHush(['init'], { cwd: project, env: user({ XDG_DATA_HOME: join(root, 'xdg') }) });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(join(root, 'xdg', 'hush'));
  });

  it('the local store in ./data is found by every local command', async () => {
    const local = join(root, 'local');
    await mkdir(local);
    const init = await runHush(['init', '--data-dir', join(local, 'data')], { env: user() });
    expect(init.code, init.stderr).toBe(0);
    const put = await runHush(['put', 'a/dev/db'], { cwd: local, env: user(), input: 'v' });
    expect(put.code, put.stderr).toBe(0);
    const get = await runHush(['get', 'a/dev/db'], { cwd: local, env: user() });
    expect(get.stdout.trim()).toBe('v');
  });
});

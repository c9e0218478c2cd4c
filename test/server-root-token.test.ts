import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/compiled.js';
import { api, freePort } from './support/hush-server.js';
import { itNeeding, toolMissing } from './support/require-tool.js';
import { assertCompiledCli, HUSH_BIN } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { until } from './support/until.js';

/** util-linux `script` gives the server a pseudo-terminal. */
const scriptMissing = toolMissing('script', 'bsdutils');
let dir: string | undefined;
let child: ChildProcess | undefined;

beforeAll(() => assertCompiledCli());
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  child = undefined;
  if (dir) await removeTempDir(dir);
  dir = undefined;
});

function hushEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HUSH_')) env[k] = v;
  return { ...env, ...extra };
}

/** The shell command line `script -c` runs: `hush server` on `data`, listening on loopback `port`. */
function serverCommand(data: string, port: number): string {
  return [process.execPath, HUSH_BIN, 'server', '--data-dir', data, '--listen', `127.0.0.1:${port}`]
    .map((a) => `'${a}'`)
    .join(' ');
}

describe('the root token of a new store never reaches stdout or stderr unless stderr is a terminal', () => {
  it('with stdout and stderr redirected to files: no token in either, a 0600 file holds a working token', async () => {
    dir = await makeTempDir('root-token');
    const data = join(dir, 'data');
    const outFile = join(dir, 'stdout.log');
    const errFile = join(dir, 'stderr.log');
    const out = openSync(outFile, 'w');
    const err = openSync(errFile, 'w');
    const port = await freePort();
    child = spawn(
      process.execPath,
      [HUSH_BIN, 'server', '--data-dir', data, '--listen', `127.0.0.1:${port}`, '--log-level', 'debug'],
      { cwd: REPO_ROOT, env: hushEnv({ HUSH_AUDIT_STDOUT: 'true' }), stdio: ['ignore', out, err] },
    );
    closeSync(out);
    closeSync(err);
    await until('the listen line', () => readFileSync(outFile, 'utf8').includes('Hush server listening'));
    const tokenFile = join(data, 'root-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token).toMatch(/^hush_s_/);
    const url = `http://127.0.0.1:${port}`;
    const self = await api({ url }, token, 'GET', '/v1/auth/token/lookup-self');
    expect(self.status, self.text).toBe(200);
    expect(self.text).toContain('root');
    const logs = readFileSync(outFile, 'utf8') + readFileSync(errFile, 'utf8');
    expect(logs).toContain(`written to ${tokenFile} (mode 0600`);
    expect(logs).toContain('"operation":'); // the stdout audit sink wrote there
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.slice(7, 30));
    expect(logs).not.toContain('still holds a root token');

    // While the file is left there, every start says so (without the token).
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    const again = join(dir, 'again.log');
    const fd = openSync(again, 'w');
    child = spawn(
      process.execPath,
      [HUSH_BIN, 'server', '--data-dir', data, '--listen', `127.0.0.1:${port}`],
      {
        cwd: REPO_ROOT,
        env: hushEnv(),
        stdio: ['ignore', fd, fd],
      },
    );
    closeSync(fd);
    await until('the listen line', () => readFileSync(again, 'utf8').includes('Hush server listening'));
    const restarted = readFileSync(again, 'utf8');
    expect(restarted).toContain(`${tokenFile} still holds a root token`);
    expect(restarted).not.toContain(token);
  }, 60_000);

  itNeeding(
    scriptMissing,
    'with stderr on a pseudo-terminal but no keyboard on stdin (docker run -t): no token shown, the file is written',
    async () => {
      dir = await makeTempDir('root-token-pty');
      const data = join(dir, 'data');
      const port = await freePort();
      const command = `${serverCommand(data, port)} < /dev/null`;
      child = spawn('script', ['-qefc', command, '/dev/null'], {
        cwd: REPO_ROOT,
        env: hushEnv(),
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      let shown = '';
      child.stdout?.setEncoding('utf8').on('data', (c: string) => {
        shown += c;
      });
      await until('the listen line', () => shown.includes('Hush server listening'));
      const token = readFileSync(join(data, 'root-token'), 'utf8').trim();
      expect(token).toMatch(/^hush_s_/);
      expect(shown).not.toContain(token);
      const exited = new Promise((r) => child!.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
    60_000,
  );

  itNeeding(
    scriptMissing,
    'with stderr on a terminal: the token is shown there and no file is written',
    async () => {
      dir = await makeTempDir('root-token-tty');
      const data = join(dir, 'data');
      const port = await freePort();
      // util-linux `script` gives the server a pseudo-terminal; the server is its only command and is stopped by
      // SIGTERM to `script`'s process group once it listens.
      const command = serverCommand(data, port);
      child = spawn('script', ['-qefc', command, '/dev/null'], {
        cwd: REPO_ROOT,
        env: hushEnv(),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let shown = '';
      child.stdout?.setEncoding('utf8').on('data', (c: string) => {
        shown += c;
      });
      await until('the listen line', () => shown.includes('Hush server listening'));
      const token = /root token \(shown once, store it now\): (hush_s_[A-Za-z0-9]+)/.exec(shown)?.[1];
      expect(token).toBeDefined();
      expect(existsSync(join(data, 'root-token'))).toBe(false);
      const self = await api({ url: `http://127.0.0.1:${port}` }, token, 'GET', '/v1/auth/token/lookup-self');
      expect(self.status).toBe(200);
      child.stdin?.end('\u0003'); // Ctrl-C on the terminal: SIGINT to the server, a graceful stop
      await new Promise((r) => child!.once('exit', r));
    },
    60_000,
  );
});

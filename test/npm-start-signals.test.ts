import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/compiled.js';
import { freePort } from './support/hush-server.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { until } from './support/until.js';

// `npm start` under a supervisor that stops it with SIGTERM (systemd, docker stop, a CI job): the signal must reach
// the server, not just npm's shell, or the server lives on with ppid 1 holding the port and the store.

let dir: string;
let serverPid: number | undefined;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  dir = await makeTempDir('npm-start');
});

afterAll(async () => {
  // Without the fix the orphaned server is still running: stop it so the test leaves nothing behind.
  if (serverPid !== undefined && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
  if (dir) await removeTempDir(dir);
});

describe('npm start', () => {
  it('stops the server when npm itself is sent SIGTERM', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HUSH_')) env[k] = v;
    Object.assign(env, { HUSH_DATA_DIR: dir, HUSH_LISTEN: `127.0.0.1:${port}` });
    const npm = spawn('npm', ['start'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    npm.stderr.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    const npmExited = new Promise((resolve) => npm.on('close', resolve));
    // The server's own log line carries its pid (it is npm's grandchild without the fix, so not npm.pid).
    await until('npm start to listen', () => /"pid":(\d+)[^\n]*Server listening/.test(out), 60_000);
    serverPid = Number(/"pid":(\d+)[^\n]*Server listening/.exec(out)?.[1]);
    expect(serverPid).not.toBe(npm.pid);
    expect((await fetch(`http://127.0.0.1:${port}/v1/sys/health`)).status).toBe(200);

    npm.kill('SIGTERM');
    await npmExited;
    await until('the server to exit after npm got SIGTERM', () => !alive(serverPid as number));
    expect(out).toContain('shutdown complete');
  }, 120_000);
});

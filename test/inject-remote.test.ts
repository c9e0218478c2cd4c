import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeChild, spawnNodeScript } from './support/child-process.js';
import { rootTokenFrom } from './support/hush-server.js';
import { assertCompiledCli, HUSH_BIN, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: NodeChild;
let env: Record<string, string>;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('inject-remote');
  const port = await freePort();
  server = spawnNodeScript(HUSH_BIN, [
    'server',
    '--listen',
    `127.0.0.1:${port}`,
    '--data-dir',
    dir,
    '--log-level',
    'silent',
  ]);
  // No terminal here: the server writes the root token to a 0600 file and names it.
  const tokenLine = await server.waitForLine(/root token \(shown once/);
  const token = rootTokenFrom(tokenLine) ?? '';
  env = { HUSH_ADDR: `http://127.0.0.1:${port}`, HUSH_TOKEN: token };
  for (let i = 0; ; i++) {
    const put = await runHush(['put', 'rem/dev/token'], { input: 'remote-1', env });
    if (put.code === 0) break;
    if (i > 20) throw new Error(`server not reachable: ${put.stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);
afterAll(async () => {
  server?.process.kill('SIGTERM');
  await server?.exited;
  await removeTempDir(dir);
});

describe('hush run / render / export through a real server (HUSH_ADDR)', () => {
  it('run injects remote secrets; --watch restarts on a remote change', async () => {
    const once = await runHush(
      ['run', '--prefix', 'rem/dev', '--', 'node', '-e', 'console.log(process.env.TOKEN)'],
      { env },
    );
    expect(once).toMatchObject({ code: 0, stdout: 'remote-1\n' });
    // The operator's Hush token is not handed to the command unless asked for.
    const printToken = ['node', '-e', 'console.log(process.env.HUSH_TOKEN === undefined ? "none" : "kept")'];
    const hidden = await runHush(['run', '--prefix', 'rem/dev', '--', ...printToken], { env });
    expect(hidden.stdout).toBe('none\n');
    const kept = await runHush(
      ['run', '--prefix', 'rem/dev', '--keep-hush-credentials', '--', ...printToken],
      { env },
    );
    expect(kept.stdout).toBe('kept\n');
    // spawnNodeScript inherits this process's environment: point it at the server for this child only.
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const watched = spawnNodeScript(HUSH_BIN, [
      'run',
      '--prefix',
      'rem/dev',
      '--watch',
      '--interval',
      '200ms',
      '--grace',
      '300ms',
      '--',
      'node',
      '-e',
      'process.on("SIGINT", () => process.exit(0)); console.log("token=" + process.env.TOKEN); setInterval(() => {}, 1000)',
    ]);
    for (const k of Object.keys(env)) {
      const before = saved[k];
      if (before === undefined) delete process.env[k];
      else process.env[k] = before;
    }
    try {
      await watched.waitForLine(/^token=remote-1$/);
      expect((await runHush(['put', 'rem/dev/token'], { input: 'remote-2', env })).code).toBe(0);
      await watched.waitForLine(/^token=remote-2$/);
      watched.process.kill('SIGINT');
      expect((await watched.exited).code).toBe(0);
    } finally {
      watched.process.kill('SIGKILL');
    }
  });

  it('export --format k8s-secret works remotely', async () => {
    const run = await runHush(['export', 'rem/dev', '--format', 'k8s-secret'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/name: rem-dev/);
    expect(run.stdout).toContain(`TOKEN: ${Buffer.from('remote-2').toString('base64')}`);
  });
});

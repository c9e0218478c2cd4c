import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/compiled.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { itNeeding, toolMissing } from './support/require-tool.js';
import { assertCompiledCli, HUSH_BIN, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

/** util-linux `script` gives hush a pseudo-terminal (a missing one fails under CI, which installs it). */
const scriptMissing = toolMissing('script', 'bsdutils');
let dir: string;
let bin: string;
const nodes: { server: HushServer; shares: string[]; root: string }[] = [];

/** Run a bash script with `hush` on PATH (a shim for `node bin/hush.js`), stdin from `input`. */
function bash(script: string, env: Record<string, string>, input: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-c', script], {
      cwd: dir,
      env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: dir, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const health = async (s: HushServer) => (await fetch(`${s.url}/v1/sys/health`)).status;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('unseal-progress');
  bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'hush'), `#!/bin/sh\nexec "${process.execPath}" "${HUSH_BIN}" "$@"\n`);
  await chmod(join(bin, 'hush'), 0o755);
  for (const name of ['node1', 'node2', 'node3']) {
    const server = await startHushServer({ dataDir: join(dir, name), env: { HUSH_SEAL_KIND: 'shamir' } });
    const init = await runHush(['init', '--json'], { env: { HUSH_ADDR: server.url } });
    expect(init.code, init.stderr).toBe(0);
    const printed = JSON.parse(init.stdout) as { oneTime: { shares: string[] }; rootToken: string };
    nodes.push({ server, shares: printed.oneTime.shares, root: printed.rootToken });
  }
}, 90_000);

afterAll(async () => {
  for (const n of nodes) await n.server.stop();
  if (dir) await removeTempDir(dir);
});

describe('the documented multi-node unseal: one share per call, progress kept on each node', () => {
  it('runs the README loop as written, with the shares piped on stdin', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const loop = readme
      .split('\n')
      .find((l) => l.startsWith('for n in node1 node2 node3; do for i in 1 2 3;'));
    expect(loop).toBeDefined();
    // The only change: each node's address comes from a variable named after it (no DNS names node1..3 here).
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash indirect expansion, not a JS template
    const script = loop!.replace('https://$n:8200', '${!n}');
    expect(script).not.toBe(loop);
    const env = Object.fromEntries(nodes.map((n, i) => [`node${i + 1}`, n.server.url]));
    const input = nodes.map((n) => n.shares.slice(0, 3).join('\n')).join('\n');
    // `hush init` leaves a node unsealed; an operator seal (shamir: the shares lift it) puts each back.
    for (const n of nodes) expect((await api(n.server, n.root, 'POST', '/v1/sys/seal')).status).toBe(200);
    for (const n of nodes) expect(await health(n.server)).toBe(503);
    const run = await bash(script, env, `${input}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.match(/unseal progress 1\/3/g)).toHaveLength(3);
    expect(run.stdout.match(/unseal progress 2\/3/g)).toHaveLength(3);
    expect(run.stdout.match(/is unsealed \(shamir seal\)/g)).toHaveLength(3);
    for (const n of nodes) expect(await health(n.server)).toBe(200);
  }, 90_000);

  it('honest progress never trips the rate limit (12 calls from one address); wrong shares still do', async () => {
    const { server, shares, root } = nodes[0]!;
    await writeFile(join(dir, 'shares.txt'), `${shares.slice(2, 5).join('\n')}\n`, { mode: 0o600 });
    for (let round = 0; round < 4; round++) {
      expect((await api(server, root, 'POST', '/v1/sys/seal')).status).toBe(200);
      const run = await bash(
        'for i in 1 2 3; do hush unseal; done < shares.txt',
        { HUSH_ADDR: server.url },
        '',
      );
      expect(run.code, run.stderr).toBe(0);
      expect(await health(server)).toBe(200);
    }
    expect((await api(server, root, 'POST', '/v1/sys/seal')).status).toBe(200);
    // Progress is visible (without the shares), a nonce names it, and reset drops it.
    const first = await api(server, undefined, 'POST', '/v1/sys/unseal', { key: shares[0] });
    expect(first.json).toMatchObject({ sealed: true, progress: 1, threshold: 3 });
    const nonce = (first.json as { nonce: string }).nonce;
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(first.text).not.toContain(shares[0]);
    const stale = await api(server, undefined, 'POST', '/v1/sys/unseal', {
      key: shares[1],
      nonce: 'f'.repeat(32),
    });
    expect(stale.status).toBe(400);
    const again = await api(server, undefined, 'POST', '/v1/sys/unseal', { key: shares[0] });
    expect(again.status).toBe(400); // the same share twice is refused (a failed attempt), not counted twice
    expect(await runHush(['unseal', '--reset'], { env: { HUSH_ADDR: server.url } })).toMatchObject({
      code: 0,
    });
    expect((await api(server, undefined, 'GET', '/v1/sys/seal-status')).json).toMatchObject({ progress: 0 });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        (await api(server, undefined, 'POST', '/v1/sys/unseal', { key: `not-a-share-${i}` })).status,
      );
    // With the duplicate above: five failures, then the address waits.
    expect(codes).toEqual([400, 400, 400, 400, 429]);
  }, 90_000);

  itNeeding(
    scriptMissing,
    'on a terminal, prompts for the share and does not echo it',
    async () => {
      const { server, shares, root } = nodes[1]!;
      expect((await api(server, root, 'POST', '/v1/sys/seal')).status).toBe(200);
      // util-linux `script` gives hush a pseudo-terminal; what is typed into it reaches hush as keystrokes would.
      const command = [process.execPath, HUSH_BIN, 'unseal'].map((a) => `'${a}'`).join(' ');
      const child = spawn('script', ['-qefc', command, '/dev/null'], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', HOME: dir, HUSH_ADDR: server.url },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let shown = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        shown += c;
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      for (const deadline = Date.now() + 30_000; !shown.includes('Unseal share (not echoed): '); ) {
        if (Date.now() > deadline) throw new Error(`no prompt; the terminal showed: ${shown}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      child.stdin.write(`${shares[0]}\r`);
      expect(await exited).toBe(0);
      expect(shown).toContain('unseal progress 1/3');
      expect(shown).not.toContain(shares[0]);
      expect((await api(server, undefined, 'GET', '/v1/sys/seal-status')).json).toMatchObject({
        progress: 1,
      });
    },
    60_000,
  );
});

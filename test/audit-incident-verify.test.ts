import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;
let root: string;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('incident-verify');
  server = await startHushServer({ dataDir: dir });
  root = server.rootToken ?? '';
  expect((await api(server, root, 'PUT', '/v1/secrets/pay/prod/db', { value: 'pw-1' })).status).toBe(200);
  expect((await api(server, root, 'GET', '/v1/secrets/pay/prod/db')).status).toBe(200);
}, 30_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

describe('hush incident report verifies the trail first', () => {
  it('one edited line (root -> alice): exit 7 naming the line; --allow-unverified marks every figure', async () => {
    const file = join(dir, 'audit.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    const at = lines.findIndex(
      (l) => l.includes('"operation":"secrets.read"') && l.includes('"identity":"root"'),
    );
    expect(at).toBeGreaterThanOrEqual(0);
    lines[at] = lines[at]!.replace('"identity":"root"', '"identity":"alice"');
    await writeFile(file, `${lines.join('\n')}\n`);

    const local = ['incident', 'report', '--path', 'pay/**', '--data-dir', dir];
    const refused = await runHush(local);
    expect(refused.code, refused.stderr).toBe(7);
    expect(refused.stderr).toContain(`audit.jsonl:${at + 1}`);
    expect(refused.stderr).toContain('[HUSH_E_INTEGRITY]');
    expect(refused.stdout).not.toContain('alice');

    const remote = await runHush(['incident', 'report', '--path', 'pay/**'], {
      env: { HUSH_ADDR: server.url, HUSH_TOKEN: root },
    });
    expect(remote.code, remote.stderr).toBe(7);
    expect(remote.stderr).toContain(`audit.jsonl:${at + 1}`);

    const marked = await runHush([...local, '--allow-unverified']);
    expect(marked.code, marked.stderr).toBe(0);
    expect(marked.stdout).toMatch(/^UNVERIFIED: the audit trail does not verify/);
    const figures = marked.stdout
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '');
    expect(figures.length).toBeGreaterThan(0);
    expect(figures.every((l) => l.startsWith('(unverified) '))).toBe(true);
    const json = JSON.parse((await runHush(['--json', ...local, '--allow-unverified'])).stdout);
    expect(json).toMatchObject({ verified: false });
  }, 60_000);
});

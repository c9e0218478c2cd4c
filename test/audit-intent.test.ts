import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditFiles } from '../src/audit/index.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const started: HushServer[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.kill9()));
  await Promise.all(dirs.splice(0).map((d) => removeTempDir(d)));
});

async function tempDir(label: string): Promise<string> {
  const dir = await makeTempDir(label);
  dirs.push(dir);
  return dir;
}

async function start(options: Parameters<typeof startHushServer>[0]): Promise<HushServer> {
  const server = await startHushServer(options);
  started.push(server);
  return server;
}

interface Attempt {
  readonly path: string;
  readonly value: string;
  readonly requestId: string;
  acked: boolean;
}

/** Overwrite one secret per writer until the server dies; every attempt carries a request id the test chose. */
async function writer(server: HushServer, token: string, id: number, round: number, attempts: Attempt[]) {
  const path = `intent/load/r${round}w${id}`;
  for (let n = 1; ; n++) {
    const attempt: Attempt = {
      path,
      value: `r${round}w${id}-n${n}-${'x'.repeat(32)}`,
      requestId: `r${round}w${id}n${n}`,
      acked: false,
    };
    attempts.push(attempt);
    try {
      const res = await fetch(`${server.url}/v1/secrets/${path}`, {
        method: 'PUT',
        headers: {
          'x-hush-token': token,
          'content-type': 'application/json',
          'x-request-id': attempt.requestId,
        },
        body: JSON.stringify({ value: attempt.value }),
      });
      await res.arrayBuffer();
      attempt.acked = res.ok;
    } catch {
      return; // the server died mid-request
    }
  }
}

describe('a write is audited before it runs (intent, then outcome)', () => {
  it('a write refused because it cannot be audited is never applied', async () => {
    assertCompiledCli();
    const dir = await tempDir('intent-break');
    const auditDir = join(dir, 'audit');
    await mkdir(auditDir);
    const config = join(dir, 'hush.yaml');
    // maxBytes 1: every record rotates the file, so each append touches the directory.
    await writeFile(config, `audit:\n  file:\n    path: ${join(auditDir, 'audit.jsonl')}\n    maxBytes: 1\n`);
    const server = await start({ dataDir: dir, args: ['--config', config] });
    const token = server.rootToken ?? '';
    expect((await api(server, token, 'PUT', '/v1/secrets/guard/prod/x', { value: 'one' })).status).toBe(200);

    await rename(auditDir, join(dir, 'audit-moved'));
    await writeFile(auditDir, 'not a directory');
    const write = await api(server, token, 'PUT', '/v1/secrets/guard/prod/y', { value: 'never-audited' });
    expect(write.status).toBe(503);
    expect(write.json).toMatchObject({ error: { code: 'HUSH_E_AUDIT_UNAVAILABLE' } });

    await server.kill9();
    await rm(auditDir);
    await rename(join(dir, 'audit-moved'), auditDir);
    const again = await start({ dataDir: dir, args: ['--config', config] });
    expect((await api(again, token, 'GET', '/v1/secrets/guard/prod/x')).status).toBe(200);
    // The refused write left nothing behind: no change happened that the trail does not show.
    const read = await api(again, token, 'GET', '/v1/secrets/guard/prod/y');
    expect(read.status).toBe(404);
  }, 60_000);

  it('after kill -9 rounds under write load, every applied write has a record; unpaired ones read as outcome unknown', async () => {
    assertCompiledCli();
    const dir = await tempDir('intent-kill');
    const attempts: Attempt[] = [];
    let token = '';
    const ROUNDS = 4;
    for (let round = 0; round < ROUNDS; round++) {
      const server = await start({ dataDir: dir });
      if (round === 0) token = server.rootToken ?? '';
      const before = attempts.length;
      const writers = Array.from({ length: 8 }, (_, i) => writer(server, token, i, round, attempts));
      // Kill once a fair number of writes were acknowledged (a count, not a time: machines differ).
      const deadline = Date.now() + 30_000;
      while (attempts.slice(before).filter((a) => a.acked).length < 60 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      await server.kill9();
      await Promise.all(writers);
    }

    const server = await start({ dataDir: dir });
    // The newest value of each secret is the one write that may have been applied without its reply.
    const applied: Attempt[] = [];
    for (const path of new Set(attempts.map((a) => a.path))) {
      const read = await api(server, token, 'GET', `/v1/secrets/${path}`);
      const value = (read.json as { value?: string } | undefined)?.value;
      const hit = attempts.find((a) => a.path === path && a.value === value);
      if (hit) applied.push(hit);
    }
    expect(applied.length).toBeGreaterThan(0);
    await server.stop();

    const audit = await readFile(join(dir, 'audit.jsonl'), 'utf8');
    const unaudited = applied.filter((a) => !audit.includes(`"requestId":"${a.requestId}"`));
    expect(unaudited.map((a) => a.requestId)).toEqual([]);

    const verified = await verifyAuditFiles(dir, { fileName: 'audit.jsonl' });
    expect(verified.ok).toBe(true);
    // Each write in flight at a kill was recorded as requested; those whose outcome never came are listed.
    const unknown = new Set(verified.outcomeUnknown.map((u) => u.requestId));
    for (const a of attempts.filter((x) => x.acked)) expect(unknown.has(a.requestId)).toBe(false);
    for (const a of applied.filter((x) => !x.acked)) {
      const records = audit.split('\n').filter((l) => l.includes(`"requestId":"${a.requestId}"`));
      expect(records.length === 2 || unknown.has(a.requestId), a.requestId).toBe(true);
    }

    const cli = await runHush(['audit', 'verify', '--data-dir', dir]);
    expect(cli.code, cli.stderr).toBe(0);
    if (verified.outcomeUnknownCount > 0) expect(cli.stdout).toMatch(/write\(s\) with outcome unknown/);
    const search = await runHush(['--json', 'audit', 'search', '--data-dir', dir, '--outcome', 'unknown']);
    expect(search.code, search.stderr).toBe(0);
    const listed = search.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { requestId: string; outcomeUnknown?: boolean });
    expect(listed.map((l) => l.requestId).sort()).toEqual([...unknown].sort());
    expect(listed.every((l) => l.outcomeUnknown === true)).toBe(true);
  }, 240_000);
});

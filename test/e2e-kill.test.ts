import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditFiles } from '../src/audit/index.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli } from './support/run-hush.js';
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

interface Ack {
  readonly path: string;
  readonly version: number;
  readonly value: string;
  readonly requestId: string;
}

/** Write versions of one secret back to back until `stop()`; collect every acknowledged (2xx) write. */
async function writer(server: HushServer, token: string, id: number, acks: Ack[], stop: () => boolean) {
  for (let n = 1; !stop(); n++) {
    // At most 10 versions per secret: the store keeps a bounded history, older versions are pruned by design.
    const path = `kill/load/w${id}/s${Math.floor((n - 1) / 10)}`;
    const value = `w${id}-n${n}-${'x'.repeat(64)}`;
    try {
      const res = await fetch(`${server.url}/v1/secrets/${path}`, {
        method: 'PUT',
        headers: { 'x-hush-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ value }),
      });
      const body = (await res.json()) as { version?: number };
      if (res.ok && body.version !== undefined)
        acks.push({ path, version: body.version, value, requestId: res.headers.get('x-request-id') ?? '' });
    } catch {
      return; // the server died: the connection reset; this write was never acknowledged
    }
  }
}

describe('hush server killed under load', () => {
  it('loses no acknowledged write, and the audit chain verifies after a torn tail', async () => {
    assertCompiledCli();
    const dir = await tempDir('e2e-kill');
    const first = await start({ dataDir: dir });
    const token = first.rootToken ?? '';
    expect(token).not.toBe('');

    const acks: Ack[] = [];
    let dead = false;
    const writers = Array.from({ length: 8 }, (_, i) => writer(first, token, i, acks, () => dead));
    // Kill once a fair number of writes have been acknowledged (not at a fixed time: machines differ).
    const deadline = Date.now() + 30_000;
    while (acks.length < 150 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(acks.length, `acknowledged writes before the kill; stderr: ${first.stderr()}`).toBeGreaterThan(0);
    await first.kill9();
    dead = true;
    await Promise.all(writers);
    expect(first.process.signalCode).toBe('SIGKILL');

    // A crash mid-append leaves a torn last line; the sink must cut it on restart, not refuse or chain onto it.
    await appendFile(join(dir, 'audit.jsonl'), '{"v":1,"seq":99999,"prev":"00');

    const second = await start({ dataDir: dir });
    expect(second.rootToken).toBeUndefined();
    const lost: string[] = [];
    for (const ack of acks) {
      const read = await api(second, token, 'GET', `/v1/secrets/${ack.path}?version=${ack.version}`);
      const value = (read.json as { value?: unknown } | undefined)?.value;
      if (read.status !== 200 || value !== ack.value) lost.push(`${ack.path} v${ack.version}: ${read.text}`);
    }
    expect(lost).toEqual([]);
    // Per secret, acknowledged versions are 1, 2, 3, ... in order (one writer per secret, no gaps, no reuse).
    for (const path of new Set(acks.map((a) => a.path))) {
      const mine = acks.filter((a) => a.path === path).map((a) => a.version);
      expect(mine, path).toEqual(mine.map((_, i) => i + 1));
    }

    await second.stop();
    const audit = await readFile(join(dir, 'audit.jsonl'), 'utf8');
    expect(audit.endsWith('\n')).toBe(true);
    expect(audit).not.toContain('"seq":99999');
    const verified = await verifyAuditFiles(dir, { fileName: 'audit.jsonl' });
    expect(verified.problem).toBeUndefined();
    expect(verified.ok).toBe(true);
    // Durable audit before reply: every acknowledged write has its record.
    const missing = acks.filter((a) => !audit.includes(`"requestId":"${a.requestId}"`));
    expect(missing).toEqual([]);
    expect(verified.checked).toBeGreaterThanOrEqual(acks.length + acks.length /* reads */);
  }, 120_000);
});

describe('audit sink unavailable', () => {
  it('refuses to start when the audit file cannot be opened (its directory is a regular file)', async () => {
    const dir = await tempDir('e2e-audit-start');
    await writeFile(join(dir, 'not-a-dir'), 'x');
    await expect(
      start({ dataDir: dir, env: { HUSH_AUDIT_FILE: join(dir, 'not-a-dir', 'audit.jsonl') } }),
    ).rejects.toThrow(/HUSH_E_AUDIT_UNAVAILABLE/);
  }, 30_000);

  it('fails requests closed with 503 and returns nothing once the sink breaks at runtime', async () => {
    const dir = await tempDir('e2e-audit-break');
    const auditDir = join(dir, 'audit');
    await mkdir(auditDir);
    const config = join(dir, 'hush.yaml');
    // maxBytes 1: every record rotates the file, so each append touches the directory (root ignores modes).
    await writeFile(config, `audit:\n  file:\n    path: ${join(auditDir, 'audit.jsonl')}\n    maxBytes: 1\n`);
    const server = await start({ dataDir: dir, args: ['--config', config] });
    const token = server.rootToken ?? '';
    const value = `audit-guarded-${'q'.repeat(20)}`;
    expect((await api(server, token, 'PUT', '/v1/secrets/guard/prod/x', { value })).status).toBe(200);
    expect((await api(server, token, 'GET', '/v1/secrets/guard/prod/x')).status).toBe(200);

    // Break the sink: the audit directory becomes a regular file.
    await rename(auditDir, join(dir, 'audit-moved'));
    await writeFile(auditDir, 'not a directory');

    const read = await api(server, token, 'GET', '/v1/secrets/guard/prod/x');
    expect(read.status).toBe(503);
    expect(read.json).toMatchObject({ error: { code: 'HUSH_E_AUDIT_UNAVAILABLE' } });
    expect(read.text).not.toContain(value);
    expect(read.text).not.toContain('"value"');
    const write = await api(server, token, 'PUT', '/v1/secrets/guard/prod/y', { value });
    expect(write.status).toBe(503);
    expect(write.text).not.toContain('"version"');
    const denied = await api(server, 'hush_s_bogus', 'GET', '/v1/secrets/guard/prod/x');
    expect(denied.status).toBe(503);
    // Logs never carry the value either, even on this failure path.
    expect(server.stdout() + server.stderr()).not.toContain(value);
  }, 30_000);
});

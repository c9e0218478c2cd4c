import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeRecordHash } from '../src/core/audit/hash-chain.js';
import { api, perTestServers } from './support/hush-server.js';
import { runHush } from './support/run-hush.js';

const { start, tempDir } = perTestServers();

/** A server that wrote some records and stopped cleanly; returns its data dir and the audit file's lines. */
async function trail(label: string): Promise<{ dir: string; lines: string[]; token: string }> {
  const dir = await tempDir(label);
  const server = await start({ dataDir: dir });
  const token = server.rootToken ?? '';
  for (let i = 0; i < 6; i++) {
    expect((await api(server, token, 'PUT', `/v1/secrets/head/prod/k${i}`, { value: `v${i}` })).status).toBe(
      200,
    );
  }
  await server.stop();
  const lines = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).split('\n').filter(Boolean);
  return { dir, lines, token };
}

describe('the audit chain head is kept in the store and checked at start', () => {
  it('refuses to start when records were cut from the end; serves with a warning under headCheck alert', async () => {
    const { dir, lines } = await trail('head-cut');
    await writeFile(join(dir, 'audit.jsonl'), `${lines.slice(0, lines.length - 4).join('\n')}\n`);
    // `hush audit verify` checks the stored head by default (local mode: the data directory's store).
    const verify = await runHush(['audit', 'verify', '--data-dir', dir]);
    expect(verify.code, verify.stdout).toBe(7);
    expect(verify.stderr).toMatch(/records were deleted from the end/);
    // The incident report checks the same head before it concludes anything from the trail.
    const report = await runHush(['incident', 'report', '--path', 'head/**', '--data-dir', dir]);
    expect(report.code, report.stdout).toBe(7);
    expect(report.stderr).toMatch(/records were deleted from the end/);
    await expect(start({ dataDir: dir })).rejects.toThrow(
      /deleted from the end.*HUSH_AUDIT_HEAD_CHECK=alert.*HUSH_E_INTEGRITY/s,
    );
    const alerted = await start({ dataDir: dir, env: { HUSH_AUDIT_HEAD_CHECK: 'alert' } });
    expect(alerted.stderr() + alerted.stdout()).toMatch(
      /warning: .*does not match the head kept in the store/,
    );
  }, 90_000);

  it('refuses a trail with a record deleted and the rest re-numbered and re-hashed', async () => {
    const { dir, lines } = await trail('head-rehash');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const kept = records.filter((_, i) => i !== 2);
    let prev = '0'.repeat(64);
    const forged = kept.map((r, i) => {
      const rest: Record<string, unknown> = { ...r, seq: i + 1, prev };
      delete rest['hash'];
      const hash = computeRecordHash(rest as never);
      prev = hash;
      return JSON.stringify({ ...rest, hash });
    });
    await writeFile(join(dir, 'audit.jsonl'), `${forged.join('\n')}\n`);
    await expect(start({ dataDir: dir })).rejects.toThrow(/HUSH_E_INTEGRITY/);
  }, 90_000);

  it('a directory whose oldest rotated files were archived starts, and the head keeps being checked', async () => {
    const { dir, lines, token } = await trail('head-archived');
    // As if rotation had moved the first records to audit.jsonl.1 and the operator archived that file away.
    await writeFile(join(dir, 'audit.jsonl'), `${lines.slice(3).join('\n')}\n`);
    const again = await start({ dataDir: dir });
    expect((await api(again, undefined, 'GET', '/v1/sys/health')).status).toBe(200);
    expect((await api(again, token, 'PUT', '/v1/secrets/head/prod/after', { value: 'x' })).status).toBe(200);
    await again.stop();
    // Records cut from the end of the archived-from chain are still refused.
    const now = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).split('\n').filter(Boolean);
    await writeFile(join(dir, 'audit.jsonl'), `${now.slice(0, now.length - 3).join('\n')}\n`);
    await expect(start({ dataDir: dir })).rejects.toThrow(/deleted from the end.*HUSH_E_INTEGRITY/s);
  }, 90_000);

  it('an intact trail starts as before', async () => {
    const { dir } = await trail('head-ok');
    const verify = await runHush(['audit', 'verify', '--data-dir', dir]);
    expect(verify.code, verify.stderr).toBe(0);
    const again = await start({ dataDir: dir });
    expect((await api(again, undefined, 'GET', '/v1/sys/health')).status).toBe(200);
  }, 90_000);
});

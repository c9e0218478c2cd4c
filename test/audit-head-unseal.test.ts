import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, type HushServer, perTestServers } from './support/hush-server.js';
import { runHush } from './support/run-hush.js';

const { start, tempDir } = perTestServers();

/** Write six secrets (each audited), stop cleanly, then cut the last four records off the audit file. */
async function writeThenCut(server: HushServer, token: string, dir: string): Promise<void> {
  for (let i = 0; i < 6; i++) {
    expect((await api(server, token, 'PUT', `/v1/secrets/head/prod/k${i}`, { value: `v${i}` })).status).toBe(
      200,
    );
  }
  await server.stop();
  const lines = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).split('\n').filter(Boolean);
  await writeFile(join(dir, 'audit.jsonl'), `${lines.slice(0, lines.length - 4).join('\n')}\n`);
}

describe('the audit head check on a store sealed at start (shamir)', () => {
  it('runs at the first unseal: refuses and stays sealed, or alerts and keeps the stored head as evidence', async () => {
    const dir = await tempDir('head-unseal-shamir');
    const shamir = { HUSH_SEAL_KIND: 'shamir' };
    const first = await start({ dataDir: dir, env: shamir });
    const init = await api(first, undefined, 'POST', '/v1/sys/init', {});
    const { shares, rootToken } = init.json as { shares: string[]; rootToken: string };
    const quorum = shares.slice(0, 3);
    expect((await api(first, undefined, 'POST', '/v1/sys/unseal', { shares: quorum })).status).toBe(200);
    await writeThenCut(first, rootToken, dir);

    // headCheck refuse (the default): the server starts sealed, the unseal is refused and the store stays sealed.
    const refusing = await start({ dataDir: dir, env: shamir });
    const refused = await api(refusing, undefined, 'POST', '/v1/sys/unseal', { shares: quorum });
    expect(refused.status).toBe(500);
    expect(JSON.stringify(refused.json)).toMatch(/HUSH_E_INTEGRITY.*records were deleted from the end/s);
    expect((await api(refusing, undefined, 'GET', '/v1/sys/seal-status')).json).toMatchObject({
      sealed: true,
    });
    expect((await api(refusing, rootToken, 'GET', '/v1/secrets/head/prod/k0')).status).toBe(503);
    await refusing.stop();

    // headCheck alert: it serves with a critical warning, and what it writes does not overwrite the stored head,
    // so the next start (after more records) still finds the cut.
    const alert = { ...shamir, HUSH_AUDIT_HEAD_CHECK: 'alert' };
    for (let round = 0; round < 2; round++) {
      const alerting = await start({ dataDir: dir, env: alert });
      expect((await api(alerting, undefined, 'POST', '/v1/sys/unseal', { shares: quorum })).status).toBe(200);
      await expect
        .poll(() => alerting.stderr() + alerting.stdout(), { timeout: 30_000 })
        .toMatch(/warning: .*does not match the head kept in the store/);
      for (let i = 0; i < 6; i++) {
        const put = await api(alerting, rootToken, 'PUT', `/v1/secrets/head/more/r${round}k${i}`, {
          value: 'x',
        });
        expect(put.status).toBe(200);
      }
      await alerting.stop();
    }
  }, 120_000);
});

describe('the incident report over HTTP checks the head kept in the store', () => {
  it('refuses (exit 7) a trail with records cut from the end while the server was down', async () => {
    const dir = await tempDir('head-report');
    const first = await start({ dataDir: dir });
    const token = first.rootToken ?? '';
    await writeThenCut(first, token, dir);
    const server = await start({ dataDir: dir, env: { HUSH_AUDIT_HEAD_CHECK: 'alert' } });
    const report = await runHush(['incident', 'report', '--path', 'head/**'], {
      env: { HUSH_ADDR: server.url, HUSH_TOKEN: token },
    });
    expect(report.code, report.stdout).toBe(7);
    expect(report.stderr).toMatch(/HUSH_E_INTEGRITY/);
    expect(report.stderr).toMatch(/records were deleted from the end/);
  }, 90_000);
});

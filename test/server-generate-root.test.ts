import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/core/audit/audit-record.js';
import { startRealServer } from './audit-cli-support.js';
import { api, freePort, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string | undefined;
let server: HushServer | undefined;
let busy: Server | undefined;

beforeAll(() => assertCompiledCli());
afterEach(async () => {
  await server?.stop();
  await new Promise((r) => (busy ? busy.close(r) : r(undefined)));
  if (dir) await removeTempDir(dir);
  server = undefined;
  busy = undefined;
  dir = undefined;
});

const lookupSelf = async (url: string, token: string) =>
  (await api({ url }, token, 'GET', '/v1/auth/token/lookup-self')).status;

describe('hush server on a busy port', () => {
  it('fails in one line before initialising anything; a later start on a free port initialises and shows the token', async () => {
    dir = await makeTempDir('busy-port');
    const data = join(dir, 'data');
    const port = await freePort();
    busy = createServer();
    await new Promise<void>((r) => busy!.listen(port, '127.0.0.1', r));
    const failed = await runHush(['server', '--data-dir', data, '--listen', `127.0.0.1:${port}`]);
    expect(failed.code).toBe(9);
    expect(oneLineError(failed)).toMatch(
      /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\).*\[HUSH_E_CONFIG\]$/,
    );
    expect(failed.stdout).not.toContain('initialised a new store');
    expect(failed.stdout + failed.stderr).not.toMatch(/hush_s_/);
    // No store was initialised: no key file, no token file.
    const left = existsSync(data) ? readdirSync(data) : [];
    expect(left).not.toContain('root.key');
    expect(left).not.toContain('root-token');

    server = await startHushServer({ dataDir: data });
    expect(server.stdout()).toContain('initialised a new store');
    expect(server.rootToken).toMatch(/^hush_s_/);
    expect(await lookupSelf(server.url, server.rootToken!)).toBe(200);
  }, 60_000);
});

describe('hush operator generate-root: a new root token from the unseal material', () => {
  it('key-file, locally: the key file is the proof; the token works on the server and the act is audited', async () => {
    dir = await makeTempDir('generate-root-keyfile');
    const data = join(dir, 'data');
    server = await startHushServer({ dataDir: data });
    // Over HTTP a key-file server cannot tell an operator from anyone: refused, pointing to the local command.
    const remote = await runHush(['operator', 'generate-root'], { env: { HUSH_ADDR: server.url } });
    expect(oneLineError(remote)).toMatch(/hush operator generate-root --data-dir DIR.*\[HUSH_E_USAGE\]$/);
    await server.stop();

    const run = await runHush(['operator', 'generate-root', '--data-dir', data, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { rootToken } = JSON.parse(run.stdout) as { rootToken: string };
    expect(rootToken).toMatch(/^hush_s_/);
    const noKey = await runHush([
      'operator',
      'generate-root',
      '--data-dir',
      data,
      '--key-file',
      join(dir, 'nope'),
    ]);
    expect(noKey.code).toBe(6);
    expect(noKey.stdout).not.toMatch(/hush_s_/);

    server = await startHushServer({ dataDir: data });
    expect(await lookupSelf(server.url, rootToken)).toBe(200);
    const read = (file: string) =>
      readFileSync(join(data, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditRecord);
    // Local use goes on the local trail (audit-local.jsonl), the refused HTTP attempt on the server's.
    expect(read('audit-local.jsonl').filter((r) => r.operation === 'operator.generate-root')).toHaveLength(1);
    // One outcome (a POST's durable `requested` record pairs with it).
    expect(
      read('audit.jsonl').filter((r) => r.operation === 'sys.generate-root' && r.outcome !== 'requested'),
    ).toHaveLength(1);
    for (const file of ['audit.jsonl', 'audit-local.jsonl']) {
      expect(readFileSync(join(data, file), 'utf8')).not.toContain(rootToken);
      const checked = await runHush(['audit', 'verify', '--data-dir', data, '--file', file]);
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    }
    const verify = await runHush(['audit', 'verify', '--data-dir', data]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 60_000);

  it('shamir, over HTTP: too few shares are refused; a quorum on stdin mints a working root token', async () => {
    dir = await makeTempDir('generate-root-shamir');
    const srv = await startRealServer(dir, { HUSH_SEAL_KIND: 'shamir' });
    try {
      const init = await api(srv, undefined, 'POST', '/v1/sys/init', {});
      const { shares } = init.json as { shares: string[] };
      expect(
        (await api(srv, undefined, 'POST', '/v1/sys/unseal', { shares: shares.slice(0, 3) })).status,
      ).toBe(200);
      const tooFew = await api(srv, undefined, 'POST', '/v1/sys/generate-root', {
        shares: shares.slice(0, 2),
      });
      expect([tooFew.status, tooFew.text]).toEqual([400, expect.stringContaining('HUSH_E_UNSEAL_FAILED')]);
      const run = await runHush(['operator', 'generate-root', '--json'], {
        env: { HUSH_ADDR: srv.url },
        input: `${shares.slice(2, 5).join('\n')}\n`,
      });
      expect(run.code, run.stderr).toBe(0);
      const { rootToken } = JSON.parse(run.stdout) as { rootToken: string };
      expect(await lookupSelf(srv.url, rootToken)).toBe(200);
      const audit = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
      expect(audit).toContain('"operation":"sys.generate-root"');
      expect(audit).not.toContain(rootToken);
      for (const share of shares) expect(audit).not.toContain(share);
    } finally {
      await srv.shutdown();
    }
  }, 60_000);
});

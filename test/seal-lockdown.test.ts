import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/core/audit/audit-record.js';
import { startRealServer } from './audit-cli-support.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;
let root: string;
let ops: string;
let reader: string;

const audit = (d: string) => ({ HUSH_AUDIT_FILE: join(d, 'audit.jsonl') });
const health = async () => (await fetch(`${server.url}/v1/sys/health`)).status;
const errorCode = (res: { json: unknown }) => (res.json as { error?: { code?: string } }).error?.code;

async function token(policy: string, rules: unknown): Promise<string> {
  expect((await api(server, root, 'PUT', `/v1/sys/policies/${policy}`, { name: policy, rules })).status).toBe(
    200,
  );
  const created = await api(server, root, 'POST', '/v1/auth/token/create', { policies: [policy] });
  return (created.json as { token: string }).token;
}

/** Every way to lift the seal without authority is refused, and the store serves nothing afterwards. */
async function expectStaysSealed(): Promise<void> {
  const anonymous = await api(server, undefined, 'POST', '/v1/sys/unseal', {});
  expect(anonymous.status, anonymous.text).toBe(403);
  expect(errorCode(anonymous)).toBe('HUSH_E_LOCKED_DOWN');
  expect(anonymous.text).toContain('hush incident unlock');
  const noToken = await api(server, undefined, 'POST', '/v1/sys/incident/unlock');
  expect(noToken.status, noToken.text).toBe(401);
  const wrongToken = await api(server, reader, 'POST', '/v1/sys/incident/unlock');
  expect(wrongToken.status, wrongToken.text).toBe(403);
  expect(await health()).toBe(503);
  expect((await api(server, reader, 'GET', '/v1/secrets/app/prod/db')).status).toBe(503);
  expect((await api(server, undefined, 'GET', '/v1/sys/seal-status')).json).toMatchObject({ sealed: true });
}

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('seal-lockdown');
  server = await startHushServer({ dataDir: dir, env: audit(dir) });
  root = server.rootToken ?? '';
  expect((await api(server, root, 'PUT', '/v1/secrets/app/prod/db', { value: 'pw-1' })).status).toBe(200);
  ops = await token('seal-ops', [{ path: 'sys/seal', capabilities: ['admin'] }]);
  reader = await token('app-reader', [{ path: 'app/**', capabilities: ['read', 'list'] }]);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

describe('an operator seal or lockdown (key-file seal) is lifted only by hush incident unlock', () => {
  it('refuses an anonymous unseal after a lockdown, stays sealed across a restart, and unlocks for admin on sys/seal', async () => {
    expect((await api(server, root, 'POST', '/v1/sys/incident/lockdown')).status).toBe(200);
    await expectStaysSealed();

    await server.stop();
    server = await startHushServer({ dataDir: dir, env: audit(dir) });
    expect(server.stdout()).toContain('hush incident unlock');
    await expectStaysSealed();

    const run = await runHush(['incident', 'unlock'], { env: { HUSH_ADDR: server.url, HUSH_TOKEN: ops } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('unlocked');
    expect(await health()).toBe(200);
    expect((await api(server, reader, 'GET', '/v1/secrets/app/prod/db')).json).toMatchObject({
      value: 'pw-1',
    });
  }, 60_000);

  it('refuses an anonymous unseal after POST /v1/sys/seal too; the CLI names the way out', async () => {
    expect((await api(server, root, 'POST', '/v1/sys/seal')).status).toBe(200);
    await expectStaysSealed();
    const cliUnseal = await runHush(['unseal'], { env: { HUSH_ADDR: server.url } });
    expect(cliUnseal.code).toBe(5);
    expect(oneLineError(cliUnseal)).toMatch(/hush incident unlock.*\[HUSH_E_LOCKED_DOWN\]$/);
    const noToken = await runHush(['incident', 'unlock'], { env: { HUSH_ADDR: server.url } });
    expect(noToken.code).toBe(6);
    expect(await health()).toBe(503);
    const unlocked = await api(server, root, 'POST', '/v1/sys/incident/unlock');
    expect(unlocked.status, unlocked.text).toBe(200);
    expect(unlocked.json).toMatchObject({ sealed: false });
    expect((await api(server, reader, 'GET', '/v1/secrets/app/prod/db')).status).toBe(200);
  }, 60_000);

  it('audits every unlock attempt, refused or granted, with who asked', async () => {
    const records = (await readFile(join(dir, 'audit.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditRecord);
    const unlocks = records.filter((r) => r.operation === 'incident.unlock');
    expect(unlocks.filter((r) => r.outcome === 'allowed').length).toBe(2);
    expect(unlocks.filter((r) => r.outcome === 'denied').length).toBeGreaterThanOrEqual(4);
  });
});

describe('an incident lockdown of a shamir store is lifted only by hush incident unlock with a quorum', () => {
  it('refuses an unseal with a full quorum, refuses an unlock with too few shares, unlocks with a quorum', async () => {
    const sdir = await makeTempDir('seal-lockdown-shamir');
    const srv = await startRealServer(sdir, { HUSH_SEAL_KIND: 'shamir' });
    try {
      const init = await api(srv, undefined, 'POST', '/v1/sys/init', {});
      const { shares, rootToken } = init.json as { shares: string[]; rootToken: string };
      const quorum = shares.slice(1, 4);
      expect((await api(srv, undefined, 'POST', '/v1/sys/unseal', { shares: quorum })).status).toBe(200);
      expect((await api(srv, rootToken, 'POST', '/v1/sys/incident/lockdown')).status).toBe(200);

      const unseal = await api(srv, undefined, 'POST', '/v1/sys/unseal', { shares: quorum });
      expect(unseal.status, unseal.text).toBe(403);
      expect(errorCode(unseal)).toBe('HUSH_E_LOCKED_DOWN');
      const tooFew = await api(srv, undefined, 'POST', '/v1/sys/incident/unlock', {
        shares: shares.slice(0, 2),
      });
      expect(errorCode(tooFew)).toBe('HUSH_E_UNSEAL_FAILED');
      // A token cannot stand in for the material: a sealed shamir store cannot even check it.
      expect((await api(srv, rootToken, 'POST', '/v1/sys/incident/unlock', {})).status).toBe(400);
      expect((await api(srv, undefined, 'GET', '/v1/sys/seal-status')).json).toMatchObject({ sealed: true });

      const run = await runHush(['incident', 'unlock'], {
        env: { HUSH_ADDR: srv.url },
        input: `${quorum.join('\n')}\n`,
      });
      expect(run.code, run.stderr).toBe(0);
      expect((await api(srv, rootToken, 'GET', '/v1/auth/token/lookup-self')).status).toBe(200);
    } finally {
      await srv.shutdown();
      await removeTempDir(sdir);
    }
  }, 60_000);
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERIC_FACTS, renderRunbook } from '../src/core/incident/runbook.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli, type HushRun, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;
let root: string;

function hush(args: readonly string[], token: string = root, input?: string): Promise<HushRun> {
  return runHush(args, { env: { HUSH_ADDR: server.url, HUSH_TOKEN: token }, ...(input ? { input } : {}) });
}
function ok(run: HushRun): HushRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run;
}

/** An AppRole identity `approle:<name>` with read on `pay/**`, logged in twice (two tokens). */
async function appRoleTokens(name: string): Promise<string[]> {
  await api(server, root, 'PUT', '/v1/sys/policies/pay-read', {
    name: 'pay-read',
    rules: [{ path: 'pay/**', capabilities: ['read', 'list'] }],
  });
  expect(
    (await api(server, root, 'POST', `/v1/auth/approle/role/${name}`, { policies: ['pay-read'] })).status,
  ).toBeLessThan(300);
  const { roleId } = (await api(server, root, 'GET', `/v1/auth/approle/role/${name}/role-id`)).json as {
    roleId: string;
  };
  const tokens: string[] = [];
  for (let i = 0; i < 2; i++) {
    const { secretId } = (await api(server, root, 'POST', `/v1/auth/approle/role/${name}/secret-id`))
      .json as {
      secretId: string;
    };
    const login = await api(server, undefined, 'POST', '/v1/auth/approle/login', { roleId, secretId });
    tokens.push((login.json as { token: string }).token);
  }
  return tokens;
}

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('incident');
  server = await startHushServer({ dataDir: dir });
  root = server.rootToken ?? '';
}, 30_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

describe('hush incident against a real server', () => {
  it('reports the blast radius, revokes an identity, lists what needs manual rotation, and locks down', async () => {
    ok(await hush(['put', 'pay/prod/db'], root, 'pw-incident-1'));
    ok(await hush(['put', 'pay/prod/api'], root, 'sk-incident-1'));
    const [t1, t2] = await appRoleTokens('payments');
    expect((await api(server, t1, 'GET', '/v1/secrets/pay/prod/db')).status).toBe(200);
    expect((await api(server, t2, 'GET', '/v1/secrets/pay/prod/db')).status).toBe(200);
    expect((await api(server, t1, 'PUT', '/v1/secrets/pay/prod/db', { value: 'x' })).status).toBe(403);

    const report = JSON.parse(
      ok(await hush(['--json', 'incident', 'report', '--path', 'pay/prod/db', '--since', '1h'])).stdout,
    );
    expect(report.readers.map((p: { identity: string }) => p.identity)).toEqual(['approle:payments']);
    expect(report.readers[0].tokenAccessors).toHaveLength(2);
    expect(report.readers[0].sourceAddresses).toEqual(['127.0.0.1']);
    expect(report.denied.map((p: { identity: string }) => p.identity)).toEqual(['approle:payments']);
    expect(report.writers.map((p: { identity: string }) => p.identity)).toEqual(['root']);
    const human = ok(await hush(['incident', 'report', '--path', 'pay/**'])).stdout;
    expect(human).toMatch(/could have the value[\s\S]*approle:payments\s+2/);
    // The same report straight from the audit files, without the server.
    const local = JSON.parse(
      ok(
        await runHush([
          '--json',
          'incident',
          'report',
          '--path',
          'pay/prod/db',
          '--dir',
          join(dir, 'audit.jsonl'),
        ]),
      ).stdout,
    );
    expect(local.readers).toEqual(report.readers);

    // A token without sudo on sys/incident is refused (and the refusal is audited).
    expect((await hush(['incident', 'revoke', '--identity', 'root'], t1)).code).toBe(6);

    const revoked = JSON.parse(
      ok(await hush(['--json', 'incident', 'revoke', '--identity', 'approle:payments'])).stdout,
    );
    expect(revoked.tokensRevoked).toHaveLength(2);
    expect((await api(server, t1, 'GET', '/v1/secrets/pay/prod/db')).status).toBe(401);
    expect((await api(server, t2, 'GET', '/v1/secrets/pay/prod/db')).status).toBe(401);
    expect((await api(server, root, 'GET', '/v1/secrets/pay/prod/db')).status).toBe(200);

    // pay/prod/api has a rotation policy (a generated API key), pay/prod/db none, pay/prod/hooked a failing hook.
    ok(await hush(['put', 'pay/prod/hooked'], root, 'hooked-1'));
    const policy = ['rotate', 'policy', 'set', '--interval', '30d', '--generate', 'api-key'];
    ok(await hush([...policy, '--path', 'pay/prod/api', '--generator-options', '{"prefix":"pay"}']));
    ok(
      await hush([
        ...policy,
        '--path',
        'pay/prod/hooked',
        '--generator-options',
        '{"prefix":"pay"}',
        '--hook-command',
        JSON.stringify([process.execPath, '-e', 'process.exit(4)']),
      ]),
    );
    const rotateRun = await hush(['--json', 'incident', 'rotate', '--prefix', 'pay/prod']);
    expect(rotateRun.code).toBe(8);
    const rotation = JSON.parse(rotateRun.stdout);
    expect(rotation.rotated).toEqual([{ path: 'pay/prod/api', version: 2 }]);
    expect(rotation.manual.map((m: { path: string }) => m.path)).toEqual(['pay/prod/db']);
    expect(rotation.failed).toMatchObject([{ path: 'pay/prod/hooked', code: 'HUSH_E_ROTATION_FAILED' }]);
    expect(ok(await hush(['get', 'pay/prod/api'])).stdout).toMatch(/^pay_/);
    expect(ok(await hush(['get', 'pay/prod/hooked'])).stdout).toBe('hooked-1\n');
    const alerts = (await api(server, root, 'GET', '/v1/sys/alerts?rule=rotation-failed')).json as {
      alerts: { path?: string; severity: string }[];
    };
    expect(alerts.alerts).toMatchObject([{ path: 'pay/prod/hooked', severity: 'critical' }]);
    expect((await hush(['incident', 'rotate', '--prefix', 'pay/prod'])).stdout).toMatch(/ROTATE BY HAND/);
    const bad = await hush(['incident', 'rotate', '--prefix', '../etc']);
    expect(bad.code).toBe(2);
    expect(oneLineError(bad)).toMatch(/HUSH_E_INVALID/);

    const runbook = ok(await hush(['runbook'])).stdout;
    expect(runbook).toContain(`Storage: sqlite (${join(dir, 'hush.db')})`);
    expect(runbook).toContain('Seal: key-file');
    expect(runbook).toContain(`export HUSH_ADDR=${server.url}`);

    const audit = await readFile(join(dir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"operation":"incident.revoke"');
    expect(audit).not.toContain('pw-incident-1');

    ok(await hush(['incident', 'lockdown']));
    expect((await api(server, root, 'GET', '/v1/secrets/pay/prod/db')).status).toBe(503);
  });

  it('prints the generic runbook, which is docs/RUNBOOK.md', async () => {
    const run = ok(await runHush(['runbook', '--generic']));
    expect(run.stdout).toBe(renderRunbook(GENERIC_FACTS));
  });
});

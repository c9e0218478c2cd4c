import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWellFormedHushToken } from '../src/scan/checksum/hush-token.js';
import { commit, newRepo } from './scan-support/git-repo.js';
import { api, useHushServer } from './support/hush-server.js';
import { type HushRun, runHush } from './support/run-hush.js';

// Canaries against a real server: a decoy path read, and a decoy token used, each raise a critical alert naming who
// and from where; the scanner (asking the server) does not report a planted canary; audit never holds the decoy.

const srv = useHushServer('canary-e2e');
const hush = (args: readonly string[], token = srv.root): Promise<HushRun> =>
  runHush(args, { env: { HUSH_ADDR: srv.server.url, HUSH_TOKEN: token } });
const ok = (run: HushRun): HushRun => {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run;
};
interface Alert {
  rule: string;
  severity: string;
  message: string;
  identity?: string;
  sourceAddress?: string;
  path?: string;
}
const alerts = async (): Promise<Alert[]> =>
  ((await api(srv.server, srv.root, 'GET', '/v1/sys/alerts?rule=canary-touched')).json as { alerts: Alert[] })
    .alerts;
/** Alerts come from the audit subscriber, just after the reply: wait for the one wanted (no fixed sleep). */
async function alertWhere(pred: (a: Alert) => boolean): Promise<Alert> {
  for (;;) {
    const found = (await alerts()).find(pred);
    if (found) return found;
    await new Promise((r) => setImmediate(r));
  }
}

describe('canaries against a real server', () => {
  it('a read of a decoy path alerts (critical) with who and from where', async () => {
    ok(await hush(['canary', 'create', 'legacy-admin', '--path', 'payments/prod/legacy-admin']));
    // A reader with a normal policy, who browses where it should not.
    await api(srv.server, srv.root, 'PUT', '/v1/sys/policies/pay-read', {
      name: 'pay-read',
      rules: [{ path: 'payments/**', capabilities: ['read', 'list'] }],
    });
    const created = await api(srv.server, srv.root, 'POST', '/v1/auth/token/create', {
      policies: ['pay-read'],
      displayName: 'mallory',
    });
    const mallory = (created.json as { token: string }).token;
    const read = await hush(['get', 'payments/prod/legacy-admin'], mallory);
    expect(read.code).toBe(0);
    const decoy = read.stdout.trim();
    expect(decoy).toMatch(/^[0-9A-Za-z]{32}$/);
    const alert = await alertWhere((a) => a.path === 'payments/prod/legacy-admin');
    expect(alert.severity).toBe('critical');
    expect(alert.sourceAddress).toBe('127.0.0.1');
    expect(alert.identity).toMatch(/^token:/);
    expect(alert.message).toMatch(
      /canary "legacy-admin" at payments\/prod\/legacy-admin was touched by token:.* from 127\.0\.0\.1/,
    );
    const trail = await readFile(join(srv.dir, 'audit.jsonl'), 'utf8');
    expect(trail).not.toContain(decoy);
  });

  it('a use of a decoy token is refused like any unknown token and alerts with where from', async () => {
    const created = JSON.parse(ok(await hush(['canary', 'create', 'wiki-token', '--json'])).stdout) as {
      token: string;
      kind: string;
    };
    expect(created.kind).toBe('token');
    expect(isWellFormedHushToken(created.token)).toBe(true);
    const used = await api(srv.server, created.token, 'GET', '/v1/secrets/payments/prod/legacy-admin');
    const unknown = await api(
      srv.server,
      `${created.token.slice(0, 10)}x${created.token.slice(11)}`,
      'GET',
      '/v1/secrets/x',
    );
    expect(used.status).toBe(401);
    // The refusal tells the intruder nothing: same status and code as any other refused token.
    expect((used.json as { error: { code: string } }).error.code).toBe(
      (unknown.json as { error: { code: string } }).error.code,
    );
    expect(used.text).not.toMatch(/canary/i);
    const alert = await alertWhere((a) => a.identity === 'canary:wiki-token');
    expect(alert.severity).toBe('critical');
    expect(alert.sourceAddress).toBe('127.0.0.1');
    expect(alert.message).toMatch(/canary token "wiki-token" was used from 127\.0\.0\.1/);
    const trail = await readFile(join(srv.dir, 'audit.jsonl'), 'utf8');
    expect(trail).not.toContain(created.token);

    // Planted in a repository: a scan that asks the server leaves it out; a real leaked token is still reported.
    const real = (
      (await api(srv.server, srv.root, 'POST', '/v1/auth/token/create', { policies: ['pay-read'] })).json as {
        token: string;
      }
    ).token;
    const repo = newRepo();
    commit(repo, 'docs', {
      'docs/deploy.md': `Use HUSH_TOKEN=${created.token} for the staging deploy.\n`,
      'ci/env.sh': `export HUSH_TOKEN=${real}\n`,
    });
    const offline = await runHush(['scan', repo, '--json'], { env: {} });
    expect(
      (JSON.parse(offline.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path).sort(),
    ).toEqual([expect.stringMatching(/ci\/env\.sh$/), expect.stringMatching(/docs\/deploy\.md$/)]);
    const scan = await hush(['scan', repo, '--known', '--json']);
    expect(scan.code).toBe(1);
    const paths = (JSON.parse(scan.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path);
    expect(paths).toEqual([expect.stringMatching(/ci\/env\.sh$/)]);
    const human = await hush(['scan', repo, '--known']);
    expect(human.stdout).not.toContain('deploy.md');
  });

  it('list never shows a token; delete removes the canary and its decoy secret', async () => {
    const listed = JSON.parse(ok(await hush(['canary', 'list', '--json'])).stdout) as {
      canaries: { name: string; kind: string; path?: string }[];
    };
    expect(listed.canaries.map((c) => `${c.name}:${c.kind}`)).toEqual(
      expect.arrayContaining(['legacy-admin:path', 'wiki-token:token']),
    );
    expect(JSON.stringify(listed)).not.toMatch(/hush_[sbr]_/);
    ok(await hush(['canary', 'delete', 'legacy-admin']));
    const gone = await hush(['get', 'payments/prod/legacy-admin']);
    expect(gone.code).not.toBe(0);
    const again = await hush(['canary', 'delete', 'legacy-admin']);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/no canary named "legacy-admin"/);
    const bad = await hush(['canary', 'create', '../x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

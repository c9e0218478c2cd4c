import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHushToken } from '../src/scan/checksum/hush-token.js';
import { commit, newRepo } from './scan-support/git-repo.js';
import { api, useHushServer } from './support/hush-server.js';
import { type HushRun, runHush } from './support/run-hush.js';

// From finding to fix, against a real server: a real git repository holds a value stored in Hush and a live hush_
// token; `hush scan --git --remediate` plans, `--yes` acts: the secret rotates, the token stops working, the audit
// trail holds the incident and a critical alert names where each leaked.

const srv = useHushServer('scan-remediate');
const DB = 'Qv8ZpL2mX9rT4wK7nB3cF6hJ1sD5gY0e';
const MANUAL = 'Mn4Tq8Wz2Xr6Kp9Ls3Vb7Hd1Gf5Jc0Ya';

const hush = (args: readonly string[], input?: string): Promise<HushRun> =>
  runHush(args, { env: { HUSH_ADDR: srv.server.url, HUSH_TOKEN: srv.root }, ...(input ? { input } : {}) });
const ok = (run: HushRun): HushRun => {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run;
};

async function auditRecords(): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(srv.dir, 'audit.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('hush scan --remediate against a real server', () => {
  it('rotates the stored secret, revokes the token, records the incident and alerts; the dry run changes nothing', async () => {
    ok(await hush(['put', 'app/prod/db'], DB));
    ok(await hush(['put', 'app/prod/legacy'], MANUAL));
    ok(
      await hush([
        'rotate',
        'policy',
        'set',
        '--path',
        'app/prod/db',
        '--interval',
        '30d',
        '--generate',
        'password',
      ]),
    );
    const created = await api(srv.server, srv.root, 'POST', '/v1/auth/token/create', { policies: ['root'] });
    const leaked = (created.json as { token: string }).token;
    expect((await api(srv.server, leaked, 'GET', '/v1/auth/token/lookup-self')).status).toBe(200);

    const repo = newRepo();
    commit(repo, 'add deploy config', {
      'deploy/.env': `DB_PASSWORD=${DB}\nLEGACY=${MANUAL}\n`,
      'ci/deploy.sh': `#!/bin/sh\nexport HUSH_TOKEN="${leaked}"\n`,
    });

    const dry = await hush(['scan', '--git', '--remediate', '--json', repo]);
    expect(dry.code, dry.stderr).toBe(1);
    const plan = JSON.parse(dry.stdout) as {
      findings: { ruleId: string; title: string; path: string; secret: string }[];
      remediation: { dryRun: boolean; actions: { kind: string; target: string; where: string[] }[] };
    };
    expect(dry.stdout).not.toContain(leaked);
    expect(dry.stdout).not.toContain(DB);
    const titles = plan.findings.map((f) => `${f.ruleId} ${f.path}: ${f.title}`);
    expect(titles).toEqual(
      expect.arrayContaining([
        'hush-known-secret deploy/.env: Value stored in Hush at app/prod/db',
        'hush-known-secret deploy/.env: Value stored in Hush at app/prod/legacy',
        expect.stringMatching(/^hush-token ci\/deploy\.sh: /),
      ]),
    );
    expect(plan.remediation.dryRun).toBe(true);
    const kinds = plan.remediation.actions.map((a) => `${a.kind} ${a.target.replace(/ .*/, '')}`).sort();
    expect(kinds).toEqual(['manual app/prod/legacy', 'revoke token', 'rotate app/prod/db']);
    expect((await api(srv.server, leaked, 'GET', '/v1/auth/token/lookup-self')).status).toBe(200);
    expect((await hush(['get', 'app/prod/db'])).stdout.trimEnd()).toBe(DB);

    const acted = await hush(['scan', '--git', '--remediate', '--yes', repo]);
    expect(acted.code, acted.stderr).toBe(1);
    expect(acted.stderr).toMatch(/remediation done, incident (leak-[0-9a-f]{12})/);
    expect(acted.stderr).toMatch(
      /rotated\s+app\/prod\/db -> version 2\s+leaked at deploy\/\.env:1 \(commit [0-9a-f]{12}\)/,
    );
    expect(acted.stderr).toMatch(/BY HAND\s+app\/prod\/legacy\s+leaked at deploy\/\.env:2/);
    expect(acted.stderr).toMatch(/do by hand: change the value where it is used/);
    expect(acted.stderr).not.toContain(leaked);
    const incident = /incident (leak-[0-9a-f]{12})/.exec(acted.stderr)?.[1];

    // The secret rotated (a new value, the old one is previous); the token no longer works.
    const now = (await hush(['get', 'app/prod/db'])).stdout.trimEnd();
    expect(now).not.toBe(DB);
    expect((await hush(['get', 'app/prod/db', '--label', 'previous'])).stdout.trimEnd()).toBe(DB);
    expect((await api(srv.server, leaked, 'GET', '/v1/auth/token/lookup-self')).status).toBe(401);
    expect((await hush(['get', 'app/prod/legacy'])).stdout.trimEnd()).toBe(MANUAL);

    // The incident is in the audit trail (no token, no value), and critical alerts name where each leaked.
    const records = await auditRecords();
    const rec = records.find(
      (r) =>
        r['operation'] === 'sys.remediate' &&
        r['outcome'] === 'allowed' &&
        JSON.stringify(r).includes(incident ?? '?'),
    );
    expect(rec).toBeDefined();
    expect(JSON.stringify(rec)).toContain('deploy/.env:1');
    const trail = JSON.stringify(records);
    expect(trail).not.toContain(leaked);
    expect(trail).not.toContain(DB);
    const alerts = (await api(srv.server, srv.root, 'GET', '/v1/sys/alerts?rule=secret-leaked')).json as {
      alerts: { severity: string; path: string; message: string }[];
    };
    const ours = alerts.alerts.filter((a) => a.message.includes(incident ?? '?'));
    expect(ours.map((a) => a.path.replace(/ .*/, '')).sort()).toEqual([
      'app/prod/db',
      'app/prod/legacy',
      'token',
    ]);
    for (const a of ours) expect(a.severity).toBe('critical');
    expect(ours.find((a) => a.path === 'app/prod/db')?.message).toMatch(
      /leaked at deploy\/\.env:1 \(commit [0-9a-f]{12}\); rotated to version 2/,
    );
    expect(ours.find((a) => a.path.startsWith('token'))?.message).toMatch(/leaked at ci\/deploy\.sh:2/);
  }, 60_000);

  it('refuses --remediate without a server and --yes without --remediate, in one line', async () => {
    const local = await runHush(['scan', '--remediate', '.'], { env: {} });
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/--remediate rotates and revokes through a Hush server/);
    const yes = await hush(['scan', '--yes', '.']);
    expect(yes.code).toBe(2);
    expect(yes.stderr).toMatch(/--yes confirms --remediate/);
  });

  it('the API (for CI): a token this server never minted and a path with no secret are listed for a human', async () => {
    const stranger = formatHushToken('s', 'A'.repeat(20) + 'b'.repeat(23));
    const before = (await api(srv.server, srv.root, 'GET', '/v1/sys/alerts?rule=secret-leaked')).json as {
      alerts: unknown[];
    };
    const res = await api(srv.server, srv.root, 'POST', '/v1/sys/remediate', {
      apply: true,
      secrets: [{ path: 'app/prod/gone', where: ['wiki/page:4'] }],
      tokens: [{ token: stranger, where: ['chat export:12'] }],
    });
    expect(res.status).toBe(200);
    const body = res.json as { dryRun: boolean; actions: { kind: string; target: string; step?: string }[] };
    expect(body.dryRun).toBe(false);
    expect(body.actions.map((a) => `${a.kind} ${a.target}`)).toEqual([
      'manual app/prod/gone',
      'manual token (unknown here)',
    ]);
    expect(body.actions[1]?.step).toMatch(/revoke it there with `hush token revoke --accessor/);
    expect(res.text).not.toContain(stranger);
    const after = (await api(srv.server, srv.root, 'GET', '/v1/sys/alerts?rule=secret-leaked')).json as {
      alerts: unknown[];
    };
    // Still a leak someone must handle: each is alerted, naming where.
    expect(after.alerts.length - before.alerts.length).toBe(2);
    expect(JSON.stringify(await auditRecords())).not.toContain(stranger);
    const bad = await api(srv.server, srv.root, 'POST', '/v1/sys/remediate', {
      tokens: [{ token: stranger }],
    });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain(stranger);
  });

  it('the API refuses a caller without sudo on sys/remediate', async () => {
    await api(srv.server, srv.root, 'PUT', '/v1/sys/policies/reader', {
      name: 'reader',
      rules: [{ path: 'app/**', capabilities: ['read'] }],
    });
    const reader = (
      (await api(srv.server, srv.root, 'POST', '/v1/auth/token/create', { policies: ['reader'] })).json as {
        token: string;
      }
    ).token;
    const refused = await api(srv.server, reader, 'POST', '/v1/sys/remediate', { secrets: [], apply: true });
    expect(refused.status).toBe(403);
  });
});

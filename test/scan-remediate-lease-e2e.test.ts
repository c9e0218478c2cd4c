import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeTable, loginAndQuery, READER_SQL } from './leases-support.js';
import { commit, newRepo } from './scan-support/git-repo.js';
import { api, useHushServer } from './support/hush-server.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { type HushRun, runHush } from './support/run-hush.js';

// A leaked dynamic credential, against a real server and a real PostgreSQL: a lease's password committed to a real
// git repository is found by `hush scan --remediate --yes`, its lease is revoked at once (the role no longer logs
// in), and the incident's audit record and alert name where it leaked and never hold the password.

// The engine's PostgreSQL listens on loopback: the server's outbound allow-list opens it.
const configDir = mkdtempSync(join(tmpdir(), 'hush-lease-remediate-'));
writeFileSync(join(configDir, 'hush.yaml'), 'outbound:\n  allow: [127.0.0.1]\n', { mode: 0o600 });
const srv = useHushServer('scan-remediate-lease', { args: ['--config', join(configDir, 'hush.yaml')] });
let db: TestPostgres;
beforeAll(async () => {
  db = await startTestPostgres();
  await createProbeTable(db);
}, 120_000);
afterAll(async () => {
  await db?.dispose();
  rmSync(configDir, { recursive: true, force: true });
});

const hush = (args: readonly string[], token = srv.root): Promise<HushRun> =>
  runHush(args, { env: { HUSH_ADDR: srv.server.url, HUSH_TOKEN: token } });

async function issue(token: string): Promise<{ username: string; password: string; leaseId: string }> {
  const read = await api(srv.server, token, 'GET', '/v1/creds/main/reader');
  expect(read.status, JSON.stringify(read.json)).toBe(200);
  return read.json as { username: string; password: string; leaseId: string };
}

describe('hush scan --remediate revokes a leaked lease', () => {
  it('revokes the lease whose password leaked; the audit record and alert name where, never the value', async () => {
    const eng = await api(srv.server, srv.root, 'PUT', '/v1/sys/engines/main', {
      type: 'postgres',
      connectionUrl: db.url,
    });
    expect(eng.status, JSON.stringify(eng.json)).toBe(200);
    const role = await api(srv.server, srv.root, 'PUT', '/v1/sys/engines/main/roles/reader', {
      creationSql: READER_SQL,
      ttl: '1h',
      maxTtl: '24h',
    });
    expect(role.status, JSON.stringify(role.json)).toBe(200);
    const lease = await issue(srv.root);
    expect(await loginAndQuery(db, lease.username, lease.password)).toBe(1);

    const repo = newRepo();
    commit(repo, 'add db config', {
      'config/db.env': `PGUSER=${lease.username}\nPGPASSWORD=${lease.password}\n`,
    });

    // A caller that may remediate but neither owns the lease nor holds `update` on it does not reach it.
    await api(srv.server, srv.root, 'PUT', '/v1/sys/policies/remediator', {
      name: 'remediator',
      rules: [{ path: 'sys/remediate', capabilities: ['admin'] }],
    });
    const other = (
      (await api(srv.server, srv.root, 'POST', '/v1/auth/token/create', { policies: ['remediator'] }))
        .json as {
        token: string;
      }
    ).token;
    const foreign = await api(srv.server, other, 'POST', '/v1/sys/remediate', {
      credentials: [{ value: lease.password, where: ['x:1'] }],
      apply: true,
    });
    expect(foreign.status, JSON.stringify(foreign.json)).toBe(200);
    expect((foreign.json as { actions: unknown[] }).actions).toEqual([]);
    expect(await loginAndQuery(db, lease.username, lease.password)).toBe(1);

    const run = await hush(['scan', '--git', '--remediate', '--yes', '--json', repo]);
    expect(run.stdout).not.toContain(lease.password);
    const out = JSON.parse(run.stdout) as {
      remediation: {
        dryRun: boolean;
        incident: string;
        actions: { kind: string; target: string; where: string[] }[];
      };
    };
    const action = out.remediation.actions.find((a) => a.target === `lease ${lease.leaseId}`);
    expect(action, run.stderr).toMatchObject({ kind: 'revoke' });
    expect(action?.where.join()).toContain('config/db.env:2');

    await expect(loginAndQuery(db, lease.username, lease.password)).rejects.toThrow();
    const lookup = await api(srv.server, srv.root, 'GET', '/v1/leases?prefix=creds/main');
    expect((lookup.json as { leases: { leaseId: string }[] }).leases.map((l) => l.leaseId)).not.toContain(
      lease.leaseId,
    );

    const text = await readFile(join(srv.dir, 'audit.jsonl'), 'utf8');
    expect(text).not.toContain(lease.password);
    const rec = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find(
        (r) => r['operation'] === 'sys.remediate' && JSON.stringify(r).includes(out.remediation.incident),
      );
    expect(JSON.stringify(rec)).toContain(`lease ${lease.leaseId}`);
    expect(JSON.stringify(rec)).toContain('config/db.env:2');
    const alerts = (await api(srv.server, srv.root, 'GET', '/v1/sys/alerts?rule=secret-leaked')).json as {
      alerts: { path: string; message: string }[];
    };
    const ours = alerts.alerts.filter((a) => a.message.includes(out.remediation.incident));
    expect(ours.map((a) => a.path)).toEqual([`lease ${lease.leaseId}`]);
    expect(ours[0]?.message).toContain('config/db.env:2');
    expect(JSON.stringify(alerts)).not.toContain(lease.password);
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import type { PolicySimulationReport } from '../src/client/policy-simulation-types.js';
import { api, useHushServer } from './support/hush-server.js';
import { oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

type Err = { error: { code: string; message: string } };

const srv = useHushServer('policy-simulate');

const APP_POLICY = {
  rules: [
    { path: 'payments/**', capabilities: ['read', 'list', 'create', 'update'] },
    { path: 'billing/**', capabilities: ['read'] },
  ],
};
/** The draft drops the payments rule. */
const DRAFT_YAML = 'rules:\n  - path: billing/**\n    capabilities: [read]\n';

/** Record a trail: root writes two secrets; a token holding `app` reads one allowed and one denied path. */
async function recordTrail(): Promise<{ accessor: string }> {
  const { server, root } = srv;
  expect((await api(server, root, 'PUT', '/v1/sys/policies/app', APP_POLICY)).status).toBe(200);
  for (const path of ['payments/prod/api-key', 'billing/prod/invoices', 'orders/prod/queue']) {
    expect((await api(server, root, 'PUT', `/v1/secrets/${path}`, { value: 'v' })).status).toBe(200);
  }
  const created = await api(server, root, 'POST', '/v1/auth/token/create', { policies: ['app'], ttl: '1h' });
  const made = created.json as { token: string; auth: { accessor: string } };
  const auth = { client_token: made.token, accessor: made.auth.accessor };
  expect((await api(server, auth.client_token, 'GET', '/v1/secrets/payments/prod/api-key')).status).toBe(200);
  expect((await api(server, auth.client_token, 'GET', '/v1/secrets/billing/prod/invoices')).status).toBe(200);
  expect((await api(server, auth.client_token, 'GET', '/v1/secrets/orders/prod/queue')).status).toBe(403);
  return { accessor: auth.accessor };
}

describe('policy simulator on a real server', () => {
  it('replays the trail: the request the draft no longer allows flips, with the rule that allowed it', async () => {
    const { accessor } = await recordTrail();
    const res = await api(srv.server, srv.root, 'POST', '/v1/sys/policies/simulate', {
      name: 'app',
      policy: DRAFT_YAML,
      since: '1h',
    });
    expect(res.status).toBe(200);
    const report = res.json as PolicySimulationReport;
    const flips = report.flips.filter((f) => f.accessor === accessor);
    expect(flips).toEqual([
      expect.objectContaining({
        path: 'payments/prod/api-key',
        capability: 'read',
        operation: 'secrets.read',
        policiesAsOf: 'record',
        before: expect.objectContaining({
          allowed: true,
          rule: expect.objectContaining({ path: 'payments/**' }),
        }),
        after: expect.objectContaining({ allowed: false }),
      }),
    ]);
    expect(report.counts.nowDenied).toBeGreaterThanOrEqual(1);
    expect(report.counts.affected).toBeGreaterThanOrEqual(3);

    // A draft adding orders/* turns the denied read into an allowed one.
    const wider = await api(srv.server, srv.root, 'POST', '/v1/sys/policies/simulate', {
      name: 'app',
      policy: { rules: [...APP_POLICY.rules, { path: 'orders/**', capabilities: ['read'] }] },
      since: '1h',
    });
    const allowed = (wider.json as PolicySimulationReport).flips.filter((f) => f.accessor === accessor);
    expect(allowed.map((f) => [f.path, f.before.allowed, f.after.allowed])).toEqual([
      ['orders/prod/queue', false, true],
    ]);
  });

  it('refuses bad drafts, unbounded periods and callers without the audit capability, with coded errors', async () => {
    const { server, root } = srv;
    const post = (body: unknown, token = root) =>
      api(server, token, 'POST', '/v1/sys/policies/simulate', body);
    const typo = await post({
      name: 'app',
      policy: { rules: [{ path: 'a/**', capabilities: ['raed'] }] },
      since: '1h',
    });
    expect([typo.status, (typo.json as Err).error.code]).toEqual([400, 'HUSH_E_INVALID_INPUT']);
    const yaml = await post({ name: 'app', policy: 'rules:\n  - path: [unclosed\n', since: '1h' });
    expect((yaml.json as Err).error.message).toMatch(/not valid YAML or JSON \(line \d+\)/);
    // An alias bomb (each level repeats the one before) is refused as a bad draft, not answered with a 500.
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg']) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const bomb = await post({ name: 'app', policy: `${levels.join('\n')}\nrules: []\n`, since: '1h' });
    expect([bomb.status, (bomb.json as Err).error.code]).toEqual([400, 'HUSH_E_INVALID_INPUT']);
    const long = await post({ name: 'app', policy: DRAFT_YAML, since: '400d' });
    expect((long.json as Err).error.message).toMatch(/400 days; at most 90 days/);
    // A duration past the calendar's range is a usage error, not a 500 or an unbounded replay.
    const huge = await post({ name: 'app', policy: DRAFT_YAML, since: '999999999d' });
    expect([huge.status, (huge.json as Err).error.code]).toEqual([400, 'HUSH_E_USAGE']);
    const hugeSearch = await api(server, root, 'GET', '/v1/sys/audit/records?since=999999999d&limit=1');
    expect(hugeSearch.status).toBe(400);
    const empty = await post({ name: 'app', policy: DRAFT_YAML, since: '1h', until: '2h' });
    expect((empty.json as Err).error.message).toMatch(/period is empty/);

    const limited = await api(server, root, 'POST', '/v1/auth/token/create', {
      policies: ['app'],
      ttl: '1h',
    });
    const token = (limited.json as { token: string }).token;
    const refused = await post({ name: 'app', policy: DRAFT_YAML, since: '1h' }, token);
    expect([refused.status, (refused.json as Err).error.code]).toEqual([403, 'HUSH_E_FORBIDDEN']);
  });

  it("never shows the rules of a policy the caller may not read (a flip decided by another policy's rule)", async () => {
    const { server, root } = srv;
    const put = (name: string, rules: unknown[]) =>
      api(server, root, 'PUT', `/v1/sys/policies/${name}`, { name, rules });
    expect((await put('hidden', [{ path: 'payments/prod/*', capabilities: ['read'] }])).status).toBe(200);
    expect((await put('team', [{ path: 'billing/**', capabilities: ['read'] }])).status).toBe(200);
    expect(
      (
        await put('simulator', [
          { path: 'sys/audit', capabilities: ['read'] },
          { path: 'sys/policies', capabilities: ['list'] },
          { path: 'sys/policies/team', capabilities: ['read'] },
        ])
      ).status,
    ).toBe(200);
    await api(server, root, 'PUT', '/v1/secrets/payments/prod/api-key', { value: 'v' });
    const made = async (policies: string[]) =>
      (await api(server, root, 'POST', '/v1/auth/token/create', { policies, ttl: '1h' })).json as {
        token: string;
        auth: { accessor: string };
      };
    const user = await made(['hidden', 'team']);
    expect((await api(server, user.token, 'GET', '/v1/secrets/payments/prod/api-key')).status).toBe(200);
    const caller = await made(['simulator']);

    const res = await api(server, caller.token, 'POST', '/v1/sys/policies/simulate', {
      name: 'team',
      policy: { rules: [{ path: 'payments/**', capabilities: ['deny'] }] },
      since: '1h',
    });
    expect(res.status).toBe(200);
    const flips = (res.json as PolicySimulationReport).flips.filter((f) => f.accessor === user.auth.accessor);
    expect(flips).toEqual([
      expect.objectContaining({
        path: 'payments/prod/api-key',
        before: expect.objectContaining({ allowed: true }),
        after: expect.objectContaining({ allowed: false, rule: expect.objectContaining({ policy: 'team' }) }),
      }),
    ]);
    // The stored policy "hidden" decided the request before: the caller may not read it, so neither its rule nor
    // its path pattern is shown.
    expect(flips[0]?.before).not.toHaveProperty('rule');
    expect(res.text).not.toContain('payments/prod/*');
  });

  it('replays a request refused on a fixed-path route (the guard refused it before the handler)', async () => {
    const { server, root } = srv;
    const rules = [{ path: 'billing/**', capabilities: ['read'] }];
    expect(
      (await api(server, root, 'PUT', '/v1/sys/policies/auditor', { name: 'auditor', rules })).status,
    ).toBe(200);
    const made = await api(server, root, 'POST', '/v1/auth/token/create', {
      policies: ['auditor'],
      ttl: '1h',
    });
    const { token, auth } = made.json as { token: string; auth: { accessor: string } };
    expect((await api(server, token, 'GET', '/v1/sys/audit/verify')).status).toBe(403);

    const res = await api(server, root, 'POST', '/v1/sys/policies/simulate', {
      name: 'auditor',
      policy: { rules: [...rules, { path: 'sys/audit', capabilities: ['read'] }] },
      since: '1h',
    });
    const flips = (res.json as PolicySimulationReport).flips.filter(
      (f) => f.operation === 'sys.audit.verify' && `${f.identity}`.includes(auth.accessor),
    );
    expect(flips.map((f) => [f.path, f.before.allowed, f.after.allowed])).toEqual([
      ['sys/audit', false, true],
    ]);
  });

  it('hush policy simulate prints the flips, and --json the report', async () => {
    await recordTrail();
    const dir = await makeTempDir('policy-simulate-cli');
    try {
      const env = { HUSH_ADDR: srv.server.url, HUSH_TOKEN: srv.root };
      const { writeFile } = await import('node:fs/promises');
      await writeFile(`${dir}/draft.yaml`, DRAFT_YAML);
      const human = await runHush(
        ['policy', 'simulate', `${dir}/draft.yaml`, '--name', 'app', '--since', '1h'],
        {
          env,
        },
      );
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/read payments\/prod\/api-key {2}allowed -> DENIED \(rule 0 of "app"/);
      expect(human.stdout).toMatch(/would be denied/);
      const json = await runHush(
        ['policy', 'simulate', `${dir}/draft.yaml`, '--name', 'app', '--since', '1h', '--json'],
        { env },
      );
      expect((JSON.parse(json.stdout) as PolicySimulationReport).flips.length).toBeGreaterThan(0);
      const bad = await runHush(
        ['policy', 'simulate', `${dir}/draft.yaml`, '--name', 'app', '--since', 'soon'],
        {
          env,
        },
      );
      expect(oneLineError(bad)).toMatch(/since/);
    } finally {
      await removeTempDir(dir);
    }
  });
});

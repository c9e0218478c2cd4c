import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';
import { type HushRun, runHush } from './support/run-hush.js';

const fx = useHushServer('approvals');

type View = { id: string; status: string; grants: unknown[]; required: number; requester: string };

async function as(token: string, method: string, path: string, body?: unknown) {
  return api(fx.server, token, method, path, body);
}
async function tokenFor(name: string, policies: string[]): Promise<string> {
  const made = await as(fx.root, 'POST', '/v1/auth/token/create', { policies, displayName: name });
  expect(made.status).toBe(200);
  return (made.json as { token: string }).token;
}
async function putPolicy(name: string, rules: unknown[]) {
  expect((await as(fx.root, 'PUT', `/v1/sys/policies/${name}`, { name, rules })).status).toBeLessThan(300);
}
function code(res: { json: unknown }): string | undefined {
  return (res.json as { error?: { code?: string } }).error?.code;
}
function cli(token: string, args: string[]): Promise<HushRun> {
  return runHush(args, { env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: token } });
}
async function auditRecords(): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(fx.dir, 'audit.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('approvals (two-person rule) against a real server', () => {
  it('a break-glass read needs two approvals from others, is single-use, and every step is audited', async () => {
    expect(
      (await as(fx.root, 'PUT', '/v1/secrets/app/prod/break-glass', { value: 'the-glass-value' })).status,
    ).toBe(200);
    await putPolicy('glass-reader', [{ path: 'app/prod/break-glass', capabilities: ['read'], approvals: 2 }]);
    await putPolicy('glass-approver', [{ path: 'app/prod/**', capabilities: ['approve'] }]);
    const alice = await tokenFor('alice', ['glass-reader', 'glass-approver']);
    const bob = await tokenFor('bob', ['glass-approver']);
    const carol = await tokenFor('carol', ['glass-approver']);
    const mallory = await tokenFor('mallory', []);

    const first = await as(alice, 'GET', '/v1/secrets/app/prod/break-glass');
    expect(first.status).toBe(403);
    expect(code(first)).toBe('HUSH_E_APPROVAL_REQUIRED');
    expect(first.text).not.toContain('the-glass-value');

    const made = await as(alice, 'POST', '/v1/approvals', {
      path: 'app/prod/break-glass',
      capability: 'read',
      reason: 'incident 42',
    });
    expect(made.status).toBe(201);
    const req = made.json as View;
    expect(req).toMatchObject({ status: 'pending', required: 2, requester: 'token:alice' });
    // Asking again reuses the open request.
    expect(
      (
        (await as(alice, 'POST', '/v1/approvals', { path: 'app/prod/break-glass', capability: 'read' }))
          .json as View
      ).id,
    ).toBe(req.id);

    // Nobody approves their own request, even holding `approve`; an outsider neither sees nor approves it.
    const self = await as(alice, 'POST', `/v1/approvals/${req.id}/grant`, {});
    expect(self.status).toBe(403);
    expect(self.text).toContain('own request');
    expect((await as(mallory, 'GET', `/v1/approvals/${req.id}`)).status).toBe(404);
    expect((await as(mallory, 'POST', `/v1/approvals/${req.id}/grant`, {})).status).toBe(404);

    const one = await as(bob, 'POST', `/v1/approvals/${req.id}/grant`, { comment: 'ok' });
    expect(one.json).toMatchObject({ status: 'pending' });
    expect(code(await as(bob, 'POST', `/v1/approvals/${req.id}/grant`, {}))).toBe('HUSH_E_ALREADY_EXISTS');
    expect(code(await as(alice, 'GET', '/v1/secrets/app/prod/break-glass'))).toBe('HUSH_E_APPROVAL_REQUIRED');

    // Carol sees it pending in her list, then approves.
    const pending = (await as(carol, 'GET', '/v1/approvals?status=pending')).json as { requests: View[] };
    expect(pending.requests.map((r) => r.id)).toContain(req.id);
    expect((await as(carol, 'POST', `/v1/approvals/${req.id}/grant`, {})).json).toMatchObject({
      status: 'approved',
    });

    const read = await as(alice, 'GET', '/v1/secrets/app/prod/break-glass');
    expect(read.status).toBe(200);
    expect(read.text).toContain('the-glass-value');
    // Single use: the next read needs a new request.
    expect(code(await as(alice, 'GET', '/v1/secrets/app/prod/break-glass'))).toBe('HUSH_E_APPROVAL_REQUIRED');
    expect((await as(alice, 'GET', `/v1/approvals/${req.id}`)).json).toMatchObject({ status: 'used' });

    const audited = (await auditRecords()).filter((r) => r['outcome'] !== 'requested');
    const ops = audited.map((r) => r['operation']);
    expect(ops).toEqual(expect.arrayContaining(['approvals.request', 'approvals.grant']));
    expect(JSON.stringify(audited)).not.toContain('the-glass-value');

    const alerts = (await as(fx.root, 'GET', '/v1/sys/alerts')).json as { alerts: { rule: string }[] };
    expect(alerts.alerts.map((a) => a.rule)).toContain('approval-requested');
  });

  it('a denied request is closed; signing with a guarded key needs an approval', async () => {
    await putPolicy('signer', [{ path: 'transit/keys/release', capabilities: ['sign'], approvals: 1 }]);
    await putPolicy('release-manager', [{ path: 'transit/keys/*', capabilities: ['approve'] }]);
    expect((await as(fx.root, 'POST', '/v1/transit/keys/release', { type: 'ed25519' })).status).toBe(201);
    const ci = await tokenFor('ci', ['signer']);
    const rm = await tokenFor('rm', ['release-manager']);
    const input = Buffer.from('artefact').toString('base64');

    expect(code(await as(ci, 'POST', '/v1/transit/sign/release', { input }))).toBe(
      'HUSH_E_APPROVAL_REQUIRED',
    );
    const denied = (
      await as(ci, 'POST', '/v1/approvals', { path: 'transit/keys/release', capability: 'sign' })
    ).json as View;
    expect(
      (await as(rm, 'POST', `/v1/approvals/${denied.id}/deny`, { comment: 'not today' })).json,
    ).toMatchObject({
      status: 'denied',
    });
    expect(code(await as(rm, 'POST', `/v1/approvals/${denied.id}/grant`, {}))).toBe('HUSH_E_INVALID_INPUT');
    expect(code(await as(ci, 'POST', '/v1/transit/sign/release', { input }))).toBe(
      'HUSH_E_APPROVAL_REQUIRED',
    );

    const again = (
      await as(ci, 'POST', '/v1/approvals', { path: 'transit/keys/release', capability: 'sign' })
    ).json as View;
    expect(again.id).not.toBe(denied.id);
    await as(rm, 'POST', `/v1/approvals/${again.id}/grant`, {});
    const signed = await as(ci, 'POST', '/v1/transit/sign/release', { input });
    expect(signed.status).toBe(200);

    // Nothing to approve where no rule asks for approvals.
    expect(
      code(await as(ci, 'POST', '/v1/approvals', { path: 'transit/keys/other', capability: 'sign' })),
    ).toBe('HUSH_E_INVALID_INPUT');
    // Malformed input is a 400, not a 5xx.
    expect((await as(ci, 'POST', '/v1/approvals', { path: 'x', capability: 'fly' })).status).toBe(400);
    expect((await as(ci, 'GET', '/v1/approvals/not-an-id')).status).toBe(400);
  });

  it('hush approve request|list|show|grant|deny and a deploy gate through the CLI', async () => {
    await putPolicy('deployer', [{ path: 'gates/prod', capabilities: ['read'], approvals: 1 }]);
    await putPolicy('gatekeeper', [{ path: 'gates/*', capabilities: ['approve'] }]);
    const dev = await tokenFor('dev', ['deployer']);
    const lead = await tokenFor('lead', ['gatekeeper']);
    const refused = await cli(dev, ['approve', 'request', 'gates/staging', '--capability', 'read']);
    expect(refused.code).toBe(2);
    const id = (
      await cli(dev, ['approve', 'request', 'gates/prod', '--capability', 'read', '--reason', 'v1.2'])
    ).stdout.trim();
    expect(id).toMatch(/^apr_/);
    expect((await cli(lead, ['approve', 'list', '--status', 'pending'])).stdout).toContain(id);
    expect((await cli(lead, ['approve', 'show', id])).stdout).toContain('reason:     v1.2');
    const self = await cli(dev, ['approve', 'grant', id]);
    expect(self.code).toBe(6);
    const granted = await cli(lead, ['approve', 'grant', id, '--comment', 'ship it']);
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain('status:     approved');
    const json = JSON.parse((await cli(dev, ['--json', 'approve', 'show', id])).stdout) as View;
    expect(json.status).toBe('approved');
    expect((await as(dev, 'POST', '/v1/gates/prod/pass', {})).json).toEqual({ gate: 'prod', passed: true });
    expect(code(await as(dev, 'POST', '/v1/gates/prod/pass', {}))).toBe('HUSH_E_APPROVAL_REQUIRED');
    const other = (
      await cli(dev, ['approve', 'request', 'gates/prod', '--capability', 'read'])
    ).stdout.trim();
    expect((await cli(lead, ['approve', 'deny', other])).stdout).toContain('status:     denied');
  });
});

import { createHash } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey, sdkOptions } from './aws-support.js';
import { api, useHushServer } from './support/hush-server.js';

// Every other door to an approval-guarded secret must answer to the same two-person rule as GET /v1/secrets.
const fx = useHushServer('approvals-doors');
const GLASS = 'ops/prod/glass';
const VALUE = 'glass-value-7f3a';
let reader: string;
let approver: string;

const as = (token: string, method: string, path: string, body?: unknown) =>
  api(fx.server, token, method, path, body);
const code = (res: { json: unknown }) => (res.json as { error?: { code?: string } }).error?.code;

async function putPolicy(name: string, rules: unknown[]) {
  expect((await as(fx.root, 'PUT', `/v1/sys/policies/${name}`, { name, rules })).status).toBeLessThan(300);
}
async function tokenFor(name: string, policies: string[]) {
  const made = await as(fx.root, 'POST', '/v1/auth/token/create', { policies, displayName: name });
  return (made.json as { token: string }).token;
}
/** Ask for and obtain one approval of `read` on `path` for `token`. */
async function approvedRead(token: string, path: string) {
  const req = (await as(token, 'POST', '/v1/approvals', { path, capability: 'read' })).json as {
    id: string;
    status: string;
  };
  // An earlier test may have left an approved request open: asking again reuses it.
  if (req.status === 'pending')
    expect((await as(approver, 'POST', `/v1/approvals/${req.id}/grant`, {})).status).toBe(200);
  return req.id;
}
const statusOf = async (id: string) =>
  ((await as(approver, 'GET', `/v1/approvals/${id}`)).json as { status: string }).status;

beforeAll(async () => {
  expect((await as(fx.root, 'PUT', `/v1/secrets/${GLASS}`, { value: VALUE })).status).toBe(200);
  await putPolicy('doors-reader', [
    { path: 'ops/prod/**', capabilities: ['read', 'list'], approvals: 1 },
    { path: 'sys/certs', capabilities: ['update'] },
  ]);
  await putPolicy('doors-approver', [{ path: 'ops/**', capabilities: ['approve'] }]);
  reader = await tokenFor('doors-reader', ['doors-reader']);
  approver = await tokenFor('doors-approver', ['doors-approver']);
});

describe('approval-guarded reads through other doors', () => {
  it('the known-secrets matcher does not confirm a guarded value without an approval', async () => {
    const started = await as(reader, 'POST', '/v1/sys/known-secrets/session', {});
    const { session, salt } = started.json as { session: string; salt: string };
    const digest = createHash('sha256').update(Buffer.from(salt, 'base64')).update(VALUE).digest('hex');
    const res = await as(reader, 'POST', '/v1/sys/known-secrets/match', { session, digests: [digest] });
    expect(res.status).toBe(200);
    expect((res.json as { matches: unknown[] }).matches).toEqual([]);
  });

  it('the AWS and Vault-compatible reads need (and spend) an approval', async () => {
    const key = await issueKey(fx, ['doors-reader']);
    const sm = new SecretsManagerClient(sdkOptions(fx, key));
    await expect(sm.send(new GetSecretValueCommand({ SecretId: GLASS }))).rejects.toThrow();
    const vault = await api(fx.server, reader, 'GET', `/vault/v1/secret/data/${GLASS}`);
    expect(vault.status).toBe(403);
    expect(vault.text).not.toContain(VALUE);
  });

  it('a certificate scan neither fails on nor spends an approval of a guarded secret', async () => {
    const id = await approvedRead(reader, GLASS);
    const scan = await as(reader, 'POST', '/v1/certs/scan-secrets', { prefix: 'ops' });
    expect(scan.status, scan.text).toBe(200);
    // The approval is still there for the read it was granted for.
    expect(await statusOf(id)).toBe('approved');
    const read = await as(reader, 'GET', `/v1/secrets/${GLASS}`);
    expect(read.status).toBe(200);
    expect(await statusOf(id)).toBe('used');
  });

  it('a refused write does not spend a read approval', async () => {
    const id = await approvedRead(reader, GLASS);
    const write = await as(reader, 'PUT', `/v1/secrets/${GLASS}`, { value: 'x' });
    expect(write.status).toBe(403);
    expect(code(write)).toBe('HUSH_E_FORBIDDEN');
    expect(await statusOf(id)).toBe('approved');
    expect((await as(reader, 'GET', `/v1/secrets/${GLASS}`)).status).toBe(200);
  });

  it('one approval serves exactly one of several concurrent reads', async () => {
    await approvedRead(reader, GLASS);
    const reads = await Promise.all(
      Array.from({ length: 6 }, () => as(reader, 'GET', `/v1/secrets/${GLASS}`)),
    );
    expect(reads.map((r) => r.status).sort()).toEqual([200, 403, 403, 403, 403, 403]);
  });
});

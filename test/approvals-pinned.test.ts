import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateRequestDigest, transitRequestDigest } from '../src/client/index.js';
import { api, useHushServer } from './support/hush-server.js';
import { runHush } from './support/run-hush.js';

const fx = useHushServer('approvals-pinned');

type View = { id: string; status: string; requestDigest?: string };

const as = (token: string, method: string, path: string, body?: unknown) =>
  api(fx.server, token, method, path, body);
function code(res: { json: unknown }): string | undefined {
  return (res.json as { error?: { code?: string } }).error?.code;
}
async function tokenFor(name: string, policies: string[]): Promise<string> {
  const made = await as(fx.root, 'POST', '/v1/auth/token/create', { policies, displayName: name });
  return (made.json as { token: string }).token;
}
async function putPolicy(name: string, rules: unknown[]) {
  expect((await as(fx.root, 'PUT', `/v1/sys/policies/${name}`, { name, rules })).status).toBeLessThan(300);
}
async function auditText(): Promise<string> {
  return readFile(join(fx.dir, 'audit.jsonl'), 'utf8');
}
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('approvals pinned to one request (requestDigest) against a real server', () => {
  it('an approval of batch A lets A through once; A again, and every other batch, are refused', async () => {
    await putPolicy('pin-signer', [{ path: 'transit/keys/pinned', capabilities: ['sign'], approvals: 1 }]);
    await putPolicy('pin-approver', [{ path: 'transit/keys/*', capabilities: ['approve'] }]);
    expect((await as(fx.root, 'POST', '/v1/transit/keys/pinned', { type: 'ed25519' })).status).toBe(201);
    const ci = await tokenFor('ci', ['pin-signer', 'pin-approver']);
    const human = await tokenFor('human', ['pin-approver']);

    const batchA = [
      { input: b64('release-1.tar.gz sha256 aa') },
      { input: b64('release-1.sbom sha256 bb'), hashAlgorithm: 'sha2-512' },
    ];
    const digestA = transitRequestDigest('transit.sign', 'pinned', batchA);
    // The refusal names the digest the request would need, so the requester can ask for exactly it.
    const refused = await as(ci, 'POST', '/v1/transit/sign/pinned', { batch: batchA });
    expect(code(refused)).toBe('HUSH_E_APPROVAL_REQUIRED');
    expect(refused.text).toContain(digestA);

    const made = await as(ci, 'POST', '/v1/approvals', {
      path: 'transit/keys/pinned',
      capability: 'sign',
      requestDigest: digestA,
      reason: 'release 1',
    });
    expect(made.status).toBe(201);
    const req = made.json as View;
    expect(req.requestDigest).toBe(digestA);
    // A malformed digest is a coded 400.
    const bad = await as(ci, 'POST', '/v1/approvals', {
      path: 'transit/keys/pinned',
      capability: 'sign',
      requestDigest: 'sha256:xyz',
    });
    expect(bad.status).toBe(400);

    // The requester cannot approve their own request, even holding `approve`.
    const self = await as(ci, 'POST', `/v1/approvals/${req.id}/grant`, {});
    expect(self.status).toBe(403);
    // The approver sees the digest (API and CLI) before approving.
    const shown = await runHush(['approve', 'show', req.id], {
      env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: human },
    });
    expect(shown.stdout).toContain(`only the request with digest ${digestA}`);
    expect((await as(human, 'POST', `/v1/approvals/${req.id}/grant`, {})).json).toMatchObject({
      status: 'approved',
      requestDigest: digestA,
    });

    // Other batches do not fit: one item changed, one added, one removed, the order swapped.
    const others = [
      [{ input: b64('release-1.tar.gz sha256 XX') }, batchA[1]],
      [...batchA, { input: b64('extra') }],
      [batchA[0]],
      [batchA[1], batchA[0]],
    ];
    for (const batch of others) {
      expect(code(await as(ci, 'POST', '/v1/transit/sign/pinned', { batch }))).toBe(
        'HUSH_E_APPROVAL_REQUIRED',
      );
    }
    // A single request is another request too.
    expect(code(await as(ci, 'POST', '/v1/transit/sign/pinned', batchA[0]))).toBe('HUSH_E_APPROVAL_REQUIRED');

    const passed = await as(ci, 'POST', '/v1/transit/sign/pinned', { batch: batchA });
    expect(passed.status).toBe(200);
    expect((passed.json as { batch: { signature: string }[] }).batch).toHaveLength(2);
    expect(code(await as(ci, 'POST', '/v1/transit/sign/pinned', { batch: batchA }))).toBe(
      'HUSH_E_APPROVAL_REQUIRED',
    );
    expect(((await as(ci, 'GET', `/v1/approvals/${req.id}`)).json as View).status).toBe('used');

    // Audited: the request, the grant and the signing name the digest; no input value is written.
    const records = (await auditText())
      .split('\n')
      .filter(Boolean)
      .map(
        (l) => JSON.parse(l) as { operation?: string; outcome?: string; details?: Record<string, unknown> },
      );
    const withDigest = records.filter(
      (r) => r.outcome !== 'requested' && r.details?.['requestDigest'] === digestA,
    );
    expect(withDigest.map((r) => r.operation)).toEqual(
      expect.arrayContaining(['approvals.request', 'approvals.grant', 'transit.sign']),
    );
    const text = await auditText();
    for (const item of batchA) expect(text).not.toContain(item.input);
  });

  it('a deploy gate approval pinned to its artefacts passes only those artefacts, once', async () => {
    await putPolicy('pin-deployer', [{ path: 'gates/pinned', capabilities: ['read'], approvals: 1 }]);
    await putPolicy('pin-gatekeeper', [{ path: 'gates/*', capabilities: ['approve'] }]);
    const ci = await tokenFor('deployer', ['pin-deployer']);
    const human = await tokenFor('gatekeeper', ['pin-gatekeeper']);
    const artefacts = [
      { file: 'app.tar.gz', sha256: 'a'.repeat(64) },
      { file: 'app.sbom.json', sha256: 'b'.repeat(64) },
    ];
    const made = await as(ci, 'POST', '/v1/approvals', {
      path: 'gates/pinned',
      capability: 'read',
      requestDigest: gateRequestDigest('pinned', artefacts),
    });
    const req = made.json as View;
    await as(human, 'POST', `/v1/approvals/${req.id}/grant`, {});
    const other = [artefacts[0], { file: 'app.sbom.json', sha256: 'c'.repeat(64) }];
    expect(code(await as(ci, 'POST', '/v1/gates/pinned/pass', { artefacts: other }))).toBe(
      'HUSH_E_APPROVAL_REQUIRED',
    );
    expect(code(await as(ci, 'POST', '/v1/gates/pinned/pass', {}))).toBe('HUSH_E_APPROVAL_REQUIRED');
    expect((await as(ci, 'POST', '/v1/gates/pinned/pass', { artefacts })).json).toEqual({
      gate: 'pinned',
      passed: true,
    });
    expect(code(await as(ci, 'POST', '/v1/gates/pinned/pass', { artefacts }))).toBe(
      'HUSH_E_APPROVAL_REQUIRED',
    );
  });
});

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';
import { type HushRun, runHush } from './support/run-hush.js';
import { until } from './support/until.js';

const fx = useHushServer('run-gate');

function cli(token: string, args: string[]): Promise<HushRun> {
  return runHush(args, { env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: token } });
}
function ok(run: HushRun): string {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run.stdout;
}
async function tokenFor(name: string, policies: string[]): Promise<string> {
  const made = await api(fx.server, fx.root, 'POST', '/v1/auth/token/create', {
    policies,
    displayName: name,
  });
  return (made.json as { token: string }).token;
}
async function putPolicy(name: string, rules: unknown[]) {
  expect((await api(fx.server, fx.root, 'PUT', `/v1/sys/policies/${name}`, { name, rules })).status).toBe(
    200,
  );
}
/** How often the server refused `identity` at a deploy gate (the audit trail's outcome records). */
async function gateRefusals(identity: string): Promise<number> {
  const lines = (await readFile(join(fx.dir, 'audit.jsonl'), 'utf8')).split('\n').filter(Boolean);
  return lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter(
      (r) => r['operation'] === 'gates.pass' && r['outcome'] !== 'requested' && r['identity'] === identity,
    )
    .filter((r) => r['outcome'] !== 'allowed').length;
}
/** The deployed command: it leaves a marker file, so a test sees whether it started at all. */
const deploy = (marker: string) => [
  '--',
  process.execPath,
  '-e',
  `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`,
];
/** `hush run` at the prod gate, waiting for an approval (polled often, so a test's approver is seen quickly). */
function runAtGate(token: string, verify: string[], marker: string): Promise<HushRun> {
  return cli(token, [
    'run',
    ...verify,
    '--gate',
    'prod',
    '--gate-timeout',
    '50s',
    '--gate-poll',
    '100ms',
    ...deploy(marker),
  ]);
}
/** The id of the pending gate request `requester` raised, once the waiting run has raised it. */
async function pendingRequest(approver: string, requester: string): Promise<string> {
  let id: string | undefined;
  await until('a pending gate request', async () => {
    const list = (await api(fx.server, approver, 'GET', '/v1/approvals?status=pending')).json as {
      requests: { id: string; requester: string }[];
    };
    id = list.requests.find((r) => r.requester === requester)?.id;
    return id !== undefined;
  });
  return String(id);
}

describe('hush run --verify and --gate: the deploy gate end to end', () => {
  it('refuses a tampered artefact, refuses an unapproved deployment, and runs an approved one once', async () => {
    ok(await cli(fx.root, ['transit', 'keys', 'create', 'release', '--type', 'ed25519']));
    await putPolicy('deployer', [
      { path: 'transit/keys/release', capabilities: ['read', 'verify'] },
      { path: 'gates/prod', capabilities: ['read'], approvals: 1 },
    ]);
    await putPolicy('gatekeeper', [{ path: 'gates/*', capabilities: ['approve'] }]);
    const ci = await tokenFor('ci', ['deployer']);
    const lead = await tokenFor('lead', ['gatekeeper']);

    const artefact = join(fx.dir, 'app.tar');
    await writeFile(artefact, 'release 1.0\n'.repeat(50));
    ok(await cli(fx.root, ['sign', artefact, '--key', 'release']));
    const spec = `${artefact}:${artefact}.sig:release`;

    // A tampered artefact: the command never starts.
    const tampered = join(fx.dir, 'tampered.tar');
    await writeFile(tampered, `${'release 1.0\n'.repeat(49)}release 6.6\n`);
    const m1 = join(fx.dir, 'm1');
    const refused = await cli(ci, ['run', '--verify', `${tampered}:${artefact}.sig:release`, ...deploy(m1)]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('HUSH_E_TRANSIT_INVALID');
    expect(existsSync(m1)).toBe(false);
    const malformed = await cli(ci, ['run', '--verify', artefact, ...deploy(m1)]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('ARTEFACT:SIGNATURE:KEY');

    // A good signature without --gate runs.
    const m0 = join(fx.dir, 'm0');
    ok(await cli(ci, ['run', '--verify', spec, ...deploy(m0)]));
    expect(existsSync(m0)).toBe(true);

    // An unapproved deployment: refused at once (no wait), leaving a pending request for an approver.
    const m2 = join(fx.dir, 'm2');
    const unapproved = await cli(ci, ['run', '--verify', spec, '--gate', 'prod', ...deploy(m2)]);
    expect(unapproved.code).toBe(6);
    expect(unapproved.stderr).toContain('HUSH_E_APPROVAL_REQUIRED');
    const id = /request (apr_[0-9a-f]{32})/.exec(unapproved.stderr)?.[1];
    expect(id).toBeDefined();
    expect(existsSync(m2)).toBe(false);

    // An approved deployment: the run waits, an approver grants the request, the command runs.
    const m3 = join(fx.dir, 'm3');
    const waiting = runAtGate(ci, ['--verify', spec], m3);
    const refusedBefore = await gateRefusals('token:ci');
    await until(
      'the waiting run to be refused at the gate once',
      async () => (await gateRefusals('token:ci')) > refusedBefore,
    );
    ok(await cli(lead, ['approve', 'grant', String(id), '--comment', 'ship 1.0']));
    const ran = await waiting;
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain('deploy gate "prod" passed');
    expect(existsSync(m3)).toBe(true);
    // The approval was spent: the next deployment needs another.
    expect((await api(fx.server, ci, 'GET', `/v1/approvals/${id}`)).json).toMatchObject({ status: 'used' });
    const m4 = join(fx.dir, 'm4');
    expect((await cli(ci, ['run', '--verify', spec, '--gate', 'prod', ...deploy(m4)])).code).toBe(6);
    expect(existsSync(m4)).toBe(false);
  });

  it('a denied request ends the wait with a refusal', async () => {
    const ci = await tokenFor('ci2', ['deployer']);
    const lead = await tokenFor('lead2', ['gatekeeper']);
    const m = join(fx.dir, 'denied');
    const waiting = runAtGate(ci, [], m);
    const id = await pendingRequest(lead, 'token:ci2');
    ok(await cli(lead, ['approve', 'deny', String(id)]));
    const ran = await waiting;
    expect(ran.code).toBe(6);
    expect(ran.stderr).toContain('denied');
    expect(existsSync(m)).toBe(false);
  });

  it('an artefact replaced while the run waits at the gate is refused after the approval', async () => {
    const ci = await tokenFor('ci3', ['deployer']);
    const lead = await tokenFor('lead3', ['gatekeeper']);
    const artefact = join(fx.dir, 'swap.tar');
    await writeFile(artefact, 'release 2.0\n');
    ok(await cli(fx.root, ['sign', artefact, '--key', 'release']));
    const m = join(fx.dir, 'swapped');
    const waiting = runAtGate(ci, ['--verify', `${artefact}:${artefact}.sig:release`], m);
    const id = await pendingRequest(lead, 'token:ci3');
    // The signature was checked before the wait; the approver approves what was verified, not this.
    await writeFile(artefact, 'release 6.6 (swapped in)\n');
    ok(await cli(lead, ['approve', 'grant', String(id)]));
    const ran = await waiting;
    expect(ran.code, ran.stderr).not.toBe(0);
    expect(ran.stderr).toContain('changed');
    expect(existsSync(m)).toBe(false);
  });
});

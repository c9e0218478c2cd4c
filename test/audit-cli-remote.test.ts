import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/core/audit/audit-record.js';
import { exitCodeFor } from '../src/core/errors/error-catalogue.js';
import { type RealServer, startRealServer } from './audit-cli-support.js';
import { assertCompiledCli, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string | undefined;
let srv: RealServer | undefined;

beforeAll(() => assertCompiledCli());
afterEach(async () => {
  await srv?.shutdown();
  if (dir) await removeTempDir(dir);
  srv = undefined;
  dir = undefined;
});

async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(srv!.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-hush-token': token } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

const records = (): AuditRecord[] =>
  readFileSync(join(dir!, 'audit.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);

describe('remote init, status and unseal against a real shamir server', () => {
  it('inits over the API (shares + root token once), reports sealed, unseals from stdin, rate-limits bad shares', async () => {
    dir = await makeTempDir('remote-shamir');
    srv = await startRealServer(dir, { HUSH_SEAL_KIND: 'shamir' });
    expect(srv.terminal).toMatch(/store not initialised/);
    const env = { HUSH_ADDR: srv.url };
    const before = await runHush(['status', '--json'], { env });
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toEqual({
      address: srv.url,
      initialized: false,
      sealKind: 'shamir',
      backendKind: 'remote',
      sealed: true,
    });

    const wrongKind = await runHush(['init', '--seal', 'rsa'], { env });
    expect([wrongKind.code, oneLineError(wrongKind)]).toEqual([
      2,
      expect.stringMatching(/configured with the shamir seal, not rsa/),
    ]);
    const init = await runHush(['init', '--json'], { env });
    expect(init.code).toBe(0);
    const printed = JSON.parse(init.stdout) as {
      oneTime: { shares: string[]; threshold: number };
      rootToken: string;
    };
    // The same shape as a local `hush init --json`, plus the server's root token.
    expect(printed).toMatchObject({ address: srv.url, sealKind: 'shamir', oneTime: { threshold: 3 } });
    const material = { shares: printed.oneTime.shares, rootToken: printed.rootToken };
    expect(material.shares).toHaveLength(5);
    expect(material.rootToken).toMatch(/^hush_s_/);
    expect(existsLocalStore(dir)).toBe(false);
    const again = await runHush(['init'], { env });
    expect([again.code, oneLineError(again)]).toEqual([
      5,
      expect.stringMatching(/HUSH_E_ALREADY_INITIALIZED/),
    ]);

    const root = { ...env, HUSH_TOKEN: material.rootToken };
    expect((await runHush(['seal'], { env: root })).code).toBe(0);
    const sealed = JSON.parse((await runHush(['status', '--json'], { env })).stdout);
    expect(sealed).toMatchObject({ initialized: true, sealed: true });
    expect(sealed).not.toHaveProperty('autoUnseal');
    expect(sealed).not.toHaveProperty('lockedDown');

    // One share per call (progress kept on the server), as `for i in 1 2 3; do hush unseal; done` does.
    const progress: unknown[] = [];
    for (const share of material.shares.slice(1, 4)) {
      const step = await runHush(['unseal', '--json'], { env, input: `${share}\n` });
      expect(step.code, step.stderr).toBe(0);
      progress.push(JSON.parse(step.stdout));
    }
    expect(progress[0]).toMatchObject({ sealed: true, progress: 1, threshold: 3 });
    expect(progress[2]).toMatchObject({
      address: srv.url,
      unsealed: true,
      sealed: false,
      sealKind: 'shamir',
    });
    expect(JSON.parse((await runHush(['status', '--json'], { env })).stdout).sealed).toBe(false);
    const human = await runHush(['status'], { env });
    expect(human.stdout).toMatch(/sealed\s+false/);
    expect(human.stdout).not.toMatch(/autoUnseal/);

    // A burst of wrong material locks this address out, even for the right shares afterwards.
    expect((await post('/v1/sys/seal', {}, material.rootToken)).status).toBe(200);
    const wrong = material.shares
      .slice(0, 3)
      .map((s) => s.slice(0, -4) + (s.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
    const codes: unknown[] = [];
    for (let i = 0; i < 5; i++) codes.push((await post('/v1/sys/unseal', { shares: wrong })).status);
    expect(codes).toEqual([400, 400, 400, 400, 400]);
    const limited = await post('/v1/sys/unseal', { shares: material.shares.slice(0, 3) });
    expect(limited.status).toBe(429);
    // The lockout is 30 s from the fifth failure, so a slow machine may already be a second or two into it.
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(25);
    expect(wait).toBeLessThanOrEqual(30);
    expect(limited.json).toEqual({
      error: {
        code: 'HUSH_E_RATE_LIMITED',
        message: `too many failed unseal attempts from this address; retry in ${wait} s`,
        id: 'TOO_MANY_FAILED_UNSEAL_ATTEMPTS',
        hint: `retry in ${wait} s`,
        details: { retryAfterSeconds: wait },
      },
    });
    const cli = await runHush(['unseal'], { env, input: material.shares.slice(0, 3).join('\n') });
    expect([cli.code, oneLineError(cli)]).toEqual([
      exitCodeFor('HUSH_E_RATE_LIMITED'),
      expect.stringMatching(/HUSH_E_RATE_LIMITED/),
    ]);
    const text = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
    for (const share of material.shares) expect(text).not.toContain(share);
    expect(text).not.toContain(material.rootToken);
  });
});

describe('remote init against a key-file server that waits for init', () => {
  it('prints the root token once, in human text, and the token works', async () => {
    dir = await makeTempDir('remote-keyfile');
    srv = await startRealServer(dir, {}, { autoInit: false });
    expect(srv.rootToken).toBeUndefined();
    const init = await runHush(['init'], { env: { HUSH_ADDR: srv.url } });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`initialised the server at ${srv.url} (seal: key-file)`);
    expect(init.stdout).toContain('the server unseals itself with its key file on start');
    const token = /root token \(shown once, store it now\): (hush_s_\S+)/.exec(init.stdout)?.[1];
    expect(token).toBeDefined();
    const put = await runHush(['put', 'app/dev/k', '--json'], {
      env: { HUSH_ADDR: srv.url, HUSH_TOKEN: token! },
      input: 'v1',
    });
    expect(JSON.parse(put.stdout)).toMatchObject({ path: 'app/dev/k', version: 1 });
  });
});

describe('hush audit hash against a real server', () => {
  it('POST /v1/sys/audit/hash and `hush audit hash -` match the HMAC of a token leaked into a record', async () => {
    dir = await makeTempDir('remote-hash');
    srv = await startRealServer(dir);
    const root = srv.rootToken!;
    // A client that mistakenly sends its token as the request id: the record holds only its HMAC.
    await fetch(`${srv.url}/v1/sys/seal-status`, { headers: { 'x-request-id': root } });
    const leaked = records().find((r) => r.operation === 'sys.seal-status');
    expect(leaked?.requestId).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    // The key is kept in the store (issue 12.14), not in a file beside the trail.
    expect(existsSync(join(dir, 'audit-hmac.key'))).toBe(false);

    const env = { HUSH_ADDR: srv.url, HUSH_TOKEN: root };
    const remote = await runHush(['audit', 'hash', '-'], { env, input: `${root}\n` });
    expect([remote.code, remote.stdout]).toEqual([0, `${leaked?.requestId}\n`]);
    const local = await runHush(['audit', 'hash', '--json', '--data-dir', dir], { input: root });
    expect(JSON.parse(local.stdout)).toEqual({ hmac: leaked?.requestId });
    const found = await runHush([
      'audit',
      'search',
      '--json',
      '--data-dir',
      dir,
      '--request-id',
      remote.stdout.trim(),
    ]);
    expect(JSON.parse(found.stdout)).toMatchObject({ operation: 'sys.seal-status', seq: leaked?.seq });

    const api = await post('/v1/sys/audit/hash', { value: 'candidate-value-9' }, root);
    const candidate = await runHush(['audit', 'hash', '-', '--data-dir', dir], {
      input: 'candidate-value-9',
    });
    expect(api).toMatchObject({ status: 200, json: { hmac: candidate.stdout.trim() } });
    expect(candidate.stdout).toMatch(/^hmac-sha256:[0-9a-f]{64}\n$/);
    const child = await post('/v1/auth/token/create', { policies: ['nothing'] }, root);
    const denied = await post(
      '/v1/sys/audit/hash',
      { value: 'candidate-value-9' },
      String(child.json['token']),
    );
    expect([denied.status, (denied.json['error'] as { code: string }).code]).toEqual([
      403,
      'HUSH_E_FORBIDDEN',
    ]);
    const anon = await post('/v1/sys/audit/hash', { value: 'candidate-value-9' });
    expect(anon.status).toBe(401);
    const viaCli = await runHush(['audit', 'hash', '-'], {
      env: { ...env, HUSH_TOKEN: String(child.json['token']) },
      input: 'candidate-value-9',
    });
    expect([viaCli.code, oneLineError(viaCli)]).toEqual([
      exitCodeFor('HUSH_E_FORBIDDEN'),
      expect.stringMatching(/lacks sudo on sys\/audit/),
    ]);

    const hashes = records().filter((r) => r.operation === 'sys.audit.hash' && r.outcome !== 'requested');
    expect(hashes.map((r) => [r.outcome, r.path])).toEqual([
      ['allowed', 'sys/audit'],
      ['allowed', 'sys/audit'],
      ['denied', null],
      ['denied', null],
      ['denied', null],
    ]);
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8')).not.toContain('candidate-value-9');
  });
});

function existsLocalStore(d: string): boolean {
  try {
    readFileSync(join(d, 'root.key'));
    return true;
  } catch {
    return false;
  }
}

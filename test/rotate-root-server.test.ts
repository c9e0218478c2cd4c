import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli, runHush } from './support/run-hush.js';
import { describeWithSoftHsm, type SoftHsm, startSoftHsm } from './support/softhsm.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// POST /v1/sys/rotate-root (and `hush operator rotate-root` with HUSH_ADDR) on a real server of each seal kind:
// rotate, seal, unseal with the new material, the old material refused, the data still readable; a failed rotation
// leaves the old root and its material in force; the audit trail names the rotation but never holds the material.

let dir: string;
let server: HushServer | undefined;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('rotate-root-server');
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
});
afterAll(async () => {
  if (dir) await removeTempDir(dir);
});

async function startWith(name: string, sealYaml: string, env: Record<string, string> = {}) {
  const config = join(dir, `${name}.yaml`);
  await writeFile(config, `seal:\n${sealYaml}`);
  return startHushServer({ dataDir: join(dir, name), args: ['--config', config], env });
}

const rsaPair = () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 3072 });
  return {
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
};

/** Write a secret, to read back after the rotation and the unseal. */
async function putSecret(srv: HushServer, token: string): Promise<void> {
  const put = await api(srv, token, 'PUT', '/v1/secrets/app/prod/db', { value: 'kept-value' });
  expect(put.status, put.text).toBe(200);
}
async function readSecret(srv: HushServer, token: string): Promise<unknown> {
  const read = await api(srv, token, 'GET', '/v1/secrets/app/prod/db');
  expect(read.status, read.text).toBe(200);
  return (read.json as { value: unknown }).value;
}

function auditOf(dataDir: string): string {
  return readFileSync(join(dataDir, 'audit.jsonl'), 'utf8');
}

describe('rotate-root over HTTP: shamir', () => {
  it('returns new shares once (CLI), the old shares are refused, the new ones unseal; none is audited', async () => {
    server = await startWith('shamir', '  kind: shamir\n  shares: 3\n  threshold: 2\n');
    const init = await api(server, undefined, 'POST', '/v1/sys/init', {});
    const { shares: old, rootToken } = init.json as { shares: string[]; rootToken: string };
    expect((await api(server, undefined, 'POST', '/v1/sys/unseal', { shares: old.slice(0, 2) })).status).toBe(
      200,
    );
    await putSecret(server, rootToken);

    // A field another seal kind takes is refused before anything moves.
    const stray = await api(server, rootToken, 'POST', '/v1/sys/rotate-root', { keyLabel: 'x' });
    expect([stray.status, stray.text]).toEqual([400, expect.stringContaining('keyLabel does not apply')]);

    const run = await runHush(['operator', 'rotate-root', '--shares', '4', '--threshold', '3', '--json'], {
      env: { HUSH_ADDR: server.url, HUSH_TOKEN: rootToken },
    });
    expect(run.code, run.stderr).toBe(0);
    const rotated = JSON.parse(run.stdout) as {
      sealKind: string;
      oneTime: { shares: string[]; threshold: number };
    };
    expect(rotated).toMatchObject({ rotated: true, server: true, sealKind: 'shamir' });
    expect(rotated.oneTime.threshold).toBe(3);
    const fresh = rotated.oneTime.shares;
    expect(fresh).toHaveLength(4);

    expect((await api(server, rootToken, 'POST', '/v1/sys/seal')).status).toBe(200);
    const refused = await api(server, undefined, 'POST', '/v1/sys/unseal', { shares: old.slice(0, 2) });
    expect([refused.status, refused.text]).toEqual([400, expect.stringContaining('HUSH_E_UNSEAL_FAILED')]);
    const tooFew = await api(server, undefined, 'POST', '/v1/sys/unseal', { shares: fresh.slice(0, 2) });
    expect(tooFew.status).toBe(400);
    const unsealed = await api(server, undefined, 'POST', '/v1/sys/unseal', { shares: fresh.slice(1, 4) });
    expect([unsealed.status, unsealed.json]).toEqual([200, expect.objectContaining({ sealed: false })]);
    expect(await readSecret(server, rootToken)).toBe('kept-value');

    const audit = auditOf(server.dataDir);
    const outcomes = audit
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { operation: string; outcome: string; details?: object })
      .filter((r) => r.operation === 'sys.rotate-root' && r.outcome !== 'requested');
    const succeeded = outcomes.filter((r) => r.outcome === 'allowed');
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]?.details).toMatchObject({ sealKind: 'shamir', sharesIssued: 4, threshold: 3 });
    for (const share of [...old, ...fresh]) expect(audit).not.toContain(share);
  }, 120_000);
});

describe('rotate-root over HTTP: rsa', () => {
  it('seals the new root to a new public key; its private key unseals, the old one is refused', async () => {
    const first = rsaPair();
    const pub = join(dir, 'rsa-1.pub.pem');
    await writeFile(pub, first.publicKeyPem);
    server = await startWith('rsa', `  kind: rsa\n  publicKeyPath: ${pub}\n`);
    const init = await api(server, undefined, 'POST', '/v1/sys/init', {});
    const { rootToken } = init.json as { rootToken: string };
    const unseal = await api(server, undefined, 'POST', '/v1/sys/unseal', {
      privateKeyPem: first.privateKeyPem,
    });
    expect(unseal.status, unseal.text).toBe(200);
    await putSecret(server, rootToken);

    // A key that cannot seal is the caller's mistake (400) and changes nothing: the old key still unseals below.
    const weak = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const bad = await api(server, rootToken, 'POST', '/v1/sys/rotate-root', {
      publicKeyPem: weak.toString(),
    });
    expect([bad.status, bad.text]).toEqual([400, expect.stringContaining('HUSH_E_INVALID_INPUT')]);
    expect((await api(server, rootToken, 'POST', '/v1/sys/seal')).status).toBe(200);
    expect(
      (await api(server, undefined, 'POST', '/v1/sys/unseal', { privateKeyPem: first.privateKeyPem })).status,
    ).toBe(200);

    const second = rsaPair();
    const pub2 = join(dir, 'rsa-2.pub.pem');
    await writeFile(pub2, second.publicKeyPem);
    const run = await runHush(['operator', 'rotate-root', '--public-key', pub2, '--json'], {
      env: { HUSH_ADDR: server.url, HUSH_TOKEN: rootToken },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      sealKind: 'rsa',
      fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });

    expect((await api(server, rootToken, 'POST', '/v1/sys/seal')).status).toBe(200);
    const old = await api(server, undefined, 'POST', '/v1/sys/unseal', {
      privateKeyPem: first.privateKeyPem,
    });
    expect([old.status, old.text]).toEqual([400, expect.stringContaining('HUSH_E_UNSEAL_FAILED')]);
    const now = await api(server, undefined, 'POST', '/v1/sys/unseal', {
      privateKeyPem: second.privateKeyPem,
    });
    expect(now.status, now.text).toBe(200);
    expect(await readSecret(server, rootToken)).toBe('kept-value');
    expect(auditOf(server.dataDir)).not.toContain('PRIVATE KEY');
  }, 120_000);
});

const PIN = '424242';
describeWithSoftHsm('rotate-root over HTTP: pkcs11 (SoftHSM2)', () => {
  let hsm: SoftHsm;
  beforeAll(async () => {
    hsm = await startSoftHsm();
    hsm.initToken('srv', PIN);
    for (const key of ['root', 'root-2']) {
      const made = await runHush(['operator', 'hsm', 'create-key', '--token', 'srv', '--key', key], {
        env: { ...hsm.env, HUSH_PKCS11_PIN: PIN },
      });
      expect(made.code, made.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    await hsm?.cleanup();
  });

  it('wraps the new root with a new HSM key: a missing key changes nothing; after it, only the new key unseals', async () => {
    const sealYaml = (key: string) =>
      `  kind: pkcs11\n  library: ${hsm.library}\n  tokenLabel: srv\n  keyLabel: ${key}\n`;
    const env = { ...hsm.env, HUSH_PKCS11_PIN: PIN };
    server = await startWith('pkcs11', sealYaml('root'), env);
    const rootToken = server.rootToken ?? '';
    await putSecret(server, rootToken);

    // Mid-rotation failure (no such key in the HSM): refused, the old root stays; a restart unseals as before.
    const missing = await api(server, rootToken, 'POST', '/v1/sys/rotate-root', { keyLabel: 'nope' });
    expect(missing.status, missing.text).toBeGreaterThanOrEqual(400);
    expect(missing.status, missing.text).toBeLessThan(500);
    await server.stop();
    server = await startWith('pkcs11', sealYaml('root'), env);
    expect(await readSecret(server, rootToken)).toBe('kept-value');

    const rotated = await api(server, rootToken, 'POST', '/v1/sys/rotate-root', { keyLabel: 'root-2' });
    expect([rotated.status, rotated.json]).toEqual([200, { sealKind: 'pkcs11', keyLabel: 'root-2' }]);
    // Sealed and unlocked in the same process: the store unseals through the new key.
    expect((await api(server, rootToken, 'POST', '/v1/sys/seal')).status).toBe(200);
    const unlock = await api(server, rootToken, 'POST', '/v1/sys/incident/unlock');
    expect(unlock.status, unlock.text).toBe(200);
    expect(await readSecret(server, rootToken)).toBe('kept-value');
    await server.stop();

    // The old key no longer unseals: a server still configured with it refuses to start, naming the record's key.
    const stale = await startWith('pkcs11', sealYaml('root'), env).then(
      (s) => s,
      (err: Error) => err,
    );
    if (!(stale instanceof Error)) server = stale;
    expect(stale).toBeInstanceOf(Error);
    expect(String(stale)).toMatch(/root-2/);
    server = await startWith('pkcs11', sealYaml('root-2'), env);
    expect(await readSecret(server, rootToken)).toBe('kept-value');
    const audit = auditOf(server.dataDir);
    expect(audit).toContain('"keyLabel":"root-2"');
    expect(audit).not.toContain(PIN);
  }, 180_000);
});

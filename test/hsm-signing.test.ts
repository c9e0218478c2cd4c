import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPkcs11Signer } from '../src/hsm/index.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { verifyWithCrl } from './support/openssl-certs.js';
import { describeNeeding, toolMissing } from './support/require-tool.js';
import { assertCompiledCli, oneLineError, runHush } from './support/run-hush.js';
import { type SoftHsm, softHsmMissing, startSoftHsm } from './support/softhsm.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const PIN = '246810';
let hsm: SoftHsm;
let dir: string;
let server: HushServer;
let root: string;

const hush = (args: readonly string[], input?: string) =>
  runHush(args, { env: { HUSH_ADDR: server.url, HUSH_TOKEN: root }, ...(input ? { input } : {}) });
const ok = async (args: readonly string[]) => {
  const run = await hush(args);
  if (run.code !== 0) throw new Error(`hush ${args.join(' ')}: exit ${run.code}; ${run.stderr}`);
  return run.stdout;
};
const openssl = (args: string[]) => spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });

/** Sign `message.txt` with transit key `key` through the CLI; the raw signature bytes go to `<key>.sig`. */
async function signFile(key: string, extra: string[] = []): Promise<string> {
  const signature = (await ok(['transit', 'sign', key, '--in', join(dir, 'message.txt'), ...extra])).trim();
  expect(signature).toMatch(/^hush:v\d+:/);
  writeFileSync(join(dir, `${key}.sig`), Buffer.from(signature.split(':')[2] ?? '', 'base64'));
  writeFileSync(join(dir, `${key}.pem`), await ok(['transit', 'keys', 'show', key, '--pem']));
  return signature;
}

const softhsm = softHsmMissing();
const missing = softhsm
  ? `SoftHSM2 not installed (${softhsm}): apt-get install -y softhsm2`
  : toolMissing('openssl', 'openssl', ['version']);

describeNeeding(missing, 'signing keys held in an HSM (transit and the CA)', () => {
  beforeAll(async () => {
    assertCompiledCli();
    hsm = await startSoftHsm();
    dir = await makeTempDir('hsm-signing');
    hsm.initToken('signing', PIN);
    // A key pair made outside Hush, to import by label (as an operator's existing HSM key would be).
    const outside = await openPkcs11Signer([
      { id: 'x', library: hsm.library, tokenLabel: 'signing', pin: PIN },
    ]);
    writeFileSync(
      join(dir, 'imported.pem'),
      `-----BEGIN PUBLIC KEY-----\n${(await outside.generate({ token: 'x', label: 'ops-p256' }, 'ecdsa-p256')).toString('base64')}\n-----END PUBLIC KEY-----\n`,
    );
    await outside.close();
    writeFileSync(
      join(dir, 'hush.yaml'),
      `keys:\n  hsmTokens:\n    - { id: signing, library: ${hsm.library}, tokenLabel: signing }\n`,
    );
    writeFileSync(join(dir, 'message.txt'), 'release 1.2.3 of the payments service\n');
    server = await startHushServer({
      dataDir: join(dir, 'data'),
      args: ['--config', join(dir, 'hush.yaml')],
      env: { ...hsm.env, HUSH_PKCS11_PIN: PIN },
    });
    root = server.rootToken ?? '';
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await hsm?.cleanup();
    if (dir) await removeTempDir(dir);
  });

  it('generates ECDSA P-256, RSA-PSS 2048 and Ed25519 keys in the HSM; openssl verifies their signatures', async () => {
    for (const [name, type] of [
      ['rel-p256', 'ecdsa-p256'],
      ['rel-rsa', 'rsa-2048'],
      ['rel-ed', 'ed25519'],
    ] as const) {
      const view = JSON.parse(
        await ok(['--json', 'transit', 'keys', 'create', name, '--type', type, '--hsm', 'signing']),
      );
      expect(view).toMatchObject({ type, hsmToken: 'signing', exportable: false });
      expect(view.versions[0].hsm).toMatchObject({
        token: 'signing',
        label: expect.stringMatching(`^hush-transit-${name}-v1-`),
      });
      await signFile(name);
    }
    const dgst = (key: string, extra: string[] = []) =>
      openssl([
        'dgst',
        '-sha256',
        ...extra,
        '-verify',
        `${key}.pem`,
        '-signature',
        `${key}.sig`,
        'message.txt',
      ]);
    expect(dgst('rel-p256').stdout).toBe('Verified OK\n');
    const pss = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'];
    expect(dgst('rel-rsa', pss).stdout).toBe('Verified OK\n');
    const ed = openssl([
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      'rel-ed.pem',
      '-rawin',
      '-in',
      'message.txt',
      '-sigfile',
      'rel-ed.sig',
    ]);
    expect(ed.stdout).toMatch(/Signature Verified Successfully/);
    // PKCS#1 v1.5 through the same HSM key.
    await signFile('rel-rsa', ['--signature-algorithm', 'pkcs1v15']);
    expect(dgst('rel-rsa').stdout).toBe('Verified OK\n');
    // A changed message fails, so openssl really checked.
    writeFileSync(join(dir, 'other.txt'), 'release 1.2.4\n');
    expect(
      openssl(['dgst', '-sha256', '-verify', 'rel-p256.pem', '-signature', 'rel-p256.sig', 'other.txt'])
        .status,
    ).not.toBe(0);
  });

  it('an HSM-held RSA key created --signature-algorithm pkcs1v15 signs PKCS#1 v1.5 by default; its JWKS says RS256', async () => {
    await ok([
      'transit',
      'keys',
      'create',
      'rel-rs',
      '--type',
      'rsa-2048',
      '--hsm',
      'signing',
      '--signature-algorithm',
      'pkcs1v15',
    ]);
    await signFile('rel-rs');
    // Plain `openssl dgst -verify` with an RSA key checks PKCS#1 v1.5 padding.
    const checked = openssl([
      'dgst',
      '-sha256',
      '-verify',
      'rel-rs.pem',
      '-signature',
      'rel-rs.sig',
      'message.txt',
    ]);
    expect(checked.stdout).toBe('Verified OK\n');
    const jwks = (await api(server, undefined, 'GET', '/v1/transit/keys/rel-rs/jwks.json')).json as {
      keys: { alg: string }[];
    };
    expect(jwks.keys.map((k) => k.alg)).toEqual(['RS256']);
  });

  it('rotation generates a new HSM key pair; old signatures still verify; the JWKS lists both versions', async () => {
    const v1 = await signFile('rel-p256');
    const rotated = JSON.parse(await ok(['--json', 'transit', 'keys', 'rotate', 'rel-p256']));
    expect(rotated.latestVersion).toBe(2);
    const [first, second] = rotated.versions as { hsm: { label: string } }[];
    expect(second?.hsm.label).toMatch(/^hush-transit-rel-p256-v2-/);
    expect(second?.hsm.label).not.toBe(first?.hsm.label);
    const v2 = await signFile('rel-p256');
    expect(v2).toMatch(/^hush:v2:/);
    expect(
      openssl(['dgst', '-sha256', '-verify', 'rel-p256.pem', '-signature', 'rel-p256.sig', 'message.txt'])
        .stdout,
    ).toBe('Verified OK\n');
    const input = readFileSync(join(dir, 'message.txt')).toString('base64');
    for (const signature of [v1, v2]) {
      const res = await api(server, root, 'POST', '/v1/transit/verify/rel-p256', { input, signature });
      expect(res.json).toMatchObject({ valid: true });
    }
    const jwks = (await api(server, undefined, 'GET', '/v1/transit/keys/rel-p256/jwks.json')).json as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual(['rel-p256:v1', 'rel-p256:v2']);
  });

  it('imports an existing HSM key pair by label, and refuses a type that does not match it', async () => {
    // The type check comes first: once `ops` holds the pair, no other key may bind it at all.
    const wrong = await hush([
      'transit',
      'keys',
      'create',
      'ops-rsa',
      '--type',
      'rsa-2048',
      '--hsm',
      'signing',
      '--hsm-label',
      'ops-p256',
    ]);
    expect(wrong.code).toBe(2);
    expect(oneLineError(wrong)).toMatch(
      /HSM key "ops-p256" is ecdsa-p256, not rsa-2048.*HUSH_E_INVALID_INPUT/,
    );
    await ok([
      'transit',
      'keys',
      'create',
      'ops',
      '--type',
      'ecdsa-p256',
      '--hsm',
      'signing',
      '--hsm-label',
      'ops-p256',
    ]);
    await signFile('ops');
    expect(
      openssl(['dgst', '-sha256', '-verify', 'imported.pem', '-signature', 'ops.sig', 'message.txt']).stdout,
    ).toBe('Verified OK\n');
    const absent = await hush([
      'transit',
      'keys',
      'create',
      'nope',
      '--type',
      'ecdsa-p256',
      '--hsm',
      'signing',
      '--hsm-label',
      'missing',
    ]);
    expect(oneLineError(absent)).toMatch(/no key pair .* labelled "missing".*HUSH_E_NOT_FOUND/);
    const token = await hush(['transit', 'keys', 'create', 'nope', '--type', 'ecdsa-p256', '--hsm', 'other']);
    expect(oneLineError(token)).toMatch(/no HSM signing token "other" is configured \(configured: signing\)/);
    const aes = await hush([
      'transit',
      'keys',
      'create',
      'nope',
      '--type',
      'aes256-gcm96',
      '--hsm',
      'signing',
    ]);
    expect(oneLineError(aes)).toMatch(/HUSH_E_TRANSIT_KEY_TYPE/);
    const exportable = await hush([
      'transit',
      'keys',
      'create',
      'nope',
      '--type',
      'ed25519',
      '--hsm',
      'signing',
      '--exportable',
    ]);
    expect(oneLineError(exportable)).toMatch(/never leaves the HSM/);
  });

  it('the private keys on the token are sensitive and non-extractable, and audit records name no key material', async () => {
    const js = await import('pkcs11js');
    const lib = new js.PKCS11();
    lib.load(hsm.library);
    lib.C_Initialize();
    try {
      const slot = lib.C_GetSlotList(true)[0];
      if (slot === undefined) throw new Error('no slot');
      const session = lib.C_OpenSession(slot, js.CKF_SERIAL_SESSION);
      lib.C_Login(session, js.CKU_USER, PIN);
      lib.C_FindObjectsInit(session, [{ type: js.CKA_CLASS, value: js.CKO_PRIVATE_KEY }]);
      const keys = lib.C_FindObjects(session, 100);
      lib.C_FindObjectsFinal(session);
      expect(keys.length).toBeGreaterThanOrEqual(5);
      for (const key of keys) {
        const [sensitive, extractable] = lib.C_GetAttributeValue(session, key, [
          { type: js.CKA_SENSITIVE },
          { type: js.CKA_EXTRACTABLE },
        ]);
        expect(sensitive?.value).toEqual(Buffer.of(1));
        expect(extractable?.value).toEqual(Buffer.of(0));
        expect(() =>
          lib.C_GetAttributeValue(session, key, [{ type: js.CKA_PRIVATE_EXPONENT }, { type: js.CKA_VALUE }]),
        ).toThrow(/ATTRIBUTE_SENSITIVE/);
      }
      lib.C_Logout(session);
      lib.C_CloseSession(session);
    } finally {
      lib.C_Finalize();
      lib.close();
    }
    const trail = readFileSync(join(dir, 'data', 'audit.jsonl'), 'utf8');
    const signs = trail
      .split('\n')
      .filter((l) => l.includes('"transit.sign"') && l.includes('rel-p256'))
      .map((l) => JSON.parse(l) as { outcome: string });
    expect(signs.filter((r) => r.outcome !== 'requested').length).toBeGreaterThanOrEqual(3);
    expect(trail).not.toMatch(/PRIVATE KEY|release 1\.2\.3/);
  });

  it('hush pki ca init --hsm keeps both CA keys in the HSM; openssl verify -crl_check accepts issued and refuses revoked', async () => {
    const made = JSON.parse(await ok(['pki', 'ca', 'init', '--hsm', 'signing', '--json']));
    expect(made).toMatchObject({ hsmToken: 'signing' });
    writeFileSync(join(dir, 'chain.pem'), await ok(['pki', 'ca', 'show']));
    await ok([
      'pki',
      'roles',
      'put',
      'web',
      '--domain',
      'example.test',
      '--bare',
      '--key-type',
      'ec-p256',
      '--ttl',
      '1h',
    ]);
    for (const name of ['good', 'bad']) {
      await ok(['pki', 'issue', 'web', '--cn', 'example.test', '--ttl', '1h', '--out', join(dir, name)]);
    }
    const serial = openssl(['x509', '-in', 'bad.crt', '-noout', '-serial']).stdout.trim().split('=')[1] ?? '';
    await ok(['pki', 'revoke', serial]);
    await ok(['pki', 'crl', '--out', join(dir, 'crl.pem')]);
    expect(verifyWithCrl(dir, 'chain.pem', 'crl.pem', 'good.crt').stdout).toBe('good.crt: OK\n');
    const bad = verifyWithCrl(dir, 'chain.pem', 'crl.pem', 'bad.crt');
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/certificate revoked/);
    // The CA record holds no private key: only the HSM does.
    const shown = await api(server, root, 'GET', '/v1/pki/ca');
    expect(shown.text).not.toMatch(/PRIVATE KEY/);
  });
  it('transit refuses to bind a key pair the CA or another transit key already holds (no signing with their keys)', async () => {
    const caLabel = (await privateKeyLabels()).find((l) => l.startsWith('hush-pki-'));
    expect(caLabel).toBeDefined();
    const relLabel = JSON.parse(await ok(['--json', 'transit', 'keys', 'show', 'rel-p256'])).versions[0].hsm
      .label as string;
    for (const [name, label] of [
      ['steal-ca', caLabel ?? ''],
      ['steal-rel', relLabel],
      ['steal-ops', 'ops-p256'],
    ] as [string, string][]) {
      const run = await hush([
        'transit',
        'keys',
        'create',
        name,
        '--type',
        'ecdsa-p256',
        '--hsm',
        'signing',
        '--hsm-label',
        label,
      ]);
      expect(run.code).toBe(2);
      expect(oneLineError(run)).toMatch(/HUSH_E_INVALID_INPUT/);
      expect(oneLineError(run)).toMatch(new RegExp(`"${label}"`));
      expect((await hush(['transit', 'keys', 'show', name])).code).not.toBe(0);
    }
  });
});

/** Labels of the private keys on token `signing`, read straight from the token as an operator's tool would. */
async function privateKeyLabels(): Promise<string[]> {
  const js = await import('pkcs11js');
  const lib = new js.PKCS11();
  lib.load(hsm.library);
  lib.C_Initialize();
  try {
    const slot = lib.C_GetSlotList(true)[0];
    if (slot === undefined) throw new Error('no slot');
    const session = lib.C_OpenSession(slot, js.CKF_SERIAL_SESSION);
    lib.C_Login(session, js.CKU_USER, PIN);
    lib.C_FindObjectsInit(session, [{ type: js.CKA_CLASS, value: js.CKO_PRIVATE_KEY }]);
    const keys = lib.C_FindObjects(session, 100);
    lib.C_FindObjectsFinal(session);
    const labels = keys.map((k) =>
      String(lib.C_GetAttributeValue(session, k, [{ type: js.CKA_LABEL }])[0]?.value),
    );
    lib.C_Logout(session);
    lib.C_CloseSession(session);
    return labels;
  } finally {
    lib.C_Finalize();
    lib.close();
  }
}

import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useHushServer } from './support/hush-server.js';
import { type HushRun, runHush } from './support/run-hush.js';

const fx = useHushServer('transit-cli');

function hush(args: string[], input?: string | Buffer): Promise<HushRun> {
  return runHush(args, {
    env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root },
    ...(input === undefined ? {} : { input }),
  });
}
function ok(run: HushRun): string {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run.stdout;
}
/** The real openssl CLI; its exit status and output. */
function openssl(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('hush transit and hush sign/verify against a real server', () => {
  it('keys and encrypt/decrypt/rewrap with values on stdin, never argv', async () => {
    ok(await hush(['transit', 'keys', 'create', 'cli-aes', '--type', 'aes256-gcm96']));
    expect(ok(await hush(['transit', 'keys', 'list']))).toContain('cli-aes');
    const withContext = await hush(['transit', 'encrypt', 'cli-aes', '--context', 'tenant'], 'x');
    expect(withContext.code).toBe(2);
    expect(withContext.stderr).toContain('not derived');
    const ct1 = ok(await hush(['transit', 'encrypt', 'cli-aes'], 'hello transit')).trim();
    expect(ct1).toMatch(/^hush:v1:/);
    expect(ok(await hush(['transit', 'decrypt', 'cli-aes'], ct1))).toBe('hello transit');
    ok(await hush(['transit', 'keys', 'rotate', 'cli-aes']));
    const ct2 = ok(await hush(['transit', 'rewrap', 'cli-aes'], ct1)).trim();
    expect(ct2).toMatch(/^hush:v2:/);
    ok(await hush(['transit', 'keys', 'config', 'cli-aes', '--min-decryption-version', '2']));
    const refused = await hush(['transit', 'decrypt', 'cli-aes'], ct1);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('HUSH_E_TRANSIT_VERSION');
    expect(ok(await hush(['transit', 'keys', 'show', 'cli-aes']))).toMatch(/decrypts\/verifies from v2/);
    const dk = JSON.parse(ok(await hush(['--json', 'transit', 'datakey', 'cli-aes', '--wrapped-only'])));
    expect(dk.plaintext).toBeUndefined();
    expect(ok(await hush(['transit', 'hash'], 'abc')).trim()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(ok(await hush(['transit', 'random', '--bytes', '8', '--format', 'hex'])).trim()).toMatch(
      /^[0-9a-f]{16}$/,
    );
  });

  it('sign/verify and hmac through hush transit; an invalid signature exits 2', async () => {
    ok(await hush(['transit', 'keys', 'create', 'cli-ed', '--type', 'ed25519']));
    const sigFile = join(fx.dir, 'msg.sig');
    await writeFile(sigFile, ok(await hush(['transit', 'sign', 'cli-ed'], 'message')));
    expect(
      ok(await hush(['transit', 'verify', 'cli-ed', '--signature-file', sigFile], 'message')).trim(),
    ).toBe('valid');
    const bad = await hush(['transit', 'verify', 'cli-ed', '--signature-file', sigFile], 'messagf');
    expect(bad.code).toBe(2);
    ok(await hush(['transit', 'keys', 'create', 'cli-mac', '--type', 'hmac']));
    const macFile = join(fx.dir, 'msg.mac');
    await writeFile(macFile, ok(await hush(['transit', 'hmac', 'cli-mac'], 'message')));
    expect(ok(await hush(['transit', 'hmac', 'cli-mac', '--verify-file', macFile], 'message')).trim()).toBe(
      'valid',
    );
  });

  const cases = [
    { type: 'ecdsa-p256', dgst: ['-sha256'] },
    { type: 'ecdsa-p384', dgst: ['-sha384'], hash: 'sha2-384' },
    {
      type: 'rsa-2048',
      dgst: ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'],
    },
    { type: 'rsa-3072', dgst: ['-sha512'], hash: 'sha2-512', scheme: 'pkcs1v15' },
  ];
  for (const c of cases) {
    it(`${c.type}: hush sign writes a signature openssl dgst -verify accepts; a tampered artefact fails everywhere`, async () => {
      const name = `art-${c.type}`;
      ok(await hush(['transit', 'keys', 'create', name, '--type', c.type]));
      const artefact = join(fx.dir, `${name}.tar`);
      await writeFile(artefact, `release build of ${c.type}\n`.repeat(100));
      const extra = [
        ...(c.hash ? ['--hash', c.hash] : []),
        ...(c.scheme ? ['--signature-algorithm', c.scheme] : []),
      ];
      ok(await hush(['sign', artefact, '--key', name, ...extra]));
      const pem = join(fx.dir, `${name}.pem`);
      await writeFile(pem, ok(await hush(['transit', 'keys', 'show', name, '--pem'])));
      expect(
        openssl(['dgst', ...c.dgst, '-verify', pem, '-signature', `${artefact}.sig`, artefact]),
      ).toMatchObject({
        status: 0,
      });
      expect(
        ok(await hush(['verify', artefact, '--sig', `${artefact}.sig`, '--key', name, ...extra])),
      ).toMatch(/valid/);
      expect(
        ok(await hush(['verify', artefact, '--sig', `${artefact}.sig`, '--public-key', pem, ...extra])),
      ).toMatch(/valid/);

      await writeFile(artefact, 'tampered\n', { flag: 'a' });
      expect(
        openssl(['dgst', ...c.dgst, '-verify', pem, '-signature', `${artefact}.sig`, artefact]).status,
      ).not.toBe(0);
      expect(
        (await hush(['verify', artefact, '--sig', `${artefact}.sig`, '--key', name, ...extra])).code,
      ).toBe(2);
      expect(
        (await hush(['verify', artefact, '--sig', `${artefact}.sig`, '--public-key', pem, ...extra])).code,
      ).toBe(2);
    });
  }

  it('a large artefact is signed as a digest: RSA PSS and PKCS#1 v1.5 verify with openssl; ECDSA refuses clearly', async () => {
    ok(await hush(['transit', 'keys', 'create', 'big-rsa', '--type', 'rsa-2048']));
    const artefact = join(fx.dir, 'big.bin');
    await writeFile(artefact, Buffer.alloc(1024 * 1024 + 4096, 7));
    const pem = join(fx.dir, 'big-rsa.pem');
    await writeFile(pem, ok(await hush(['transit', 'keys', 'show', 'big-rsa', '--pem'])));
    const pss = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'];
    for (const [scheme, sigopts] of [
      ['pss', pss],
      ['pkcs1v15', []],
    ] as const) {
      ok(await hush(['sign', artefact, '--key', 'big-rsa', '--signature-algorithm', scheme]));
      const r = openssl([
        'dgst',
        '-sha256',
        ...sigopts,
        '-verify',
        pem,
        '-signature',
        `${artefact}.sig`,
        artefact,
      ]);
      expect(r, scheme).toMatchObject({ status: 0 });
      expect(
        ok(
          await hush([
            'verify',
            artefact,
            '--sig',
            `${artefact}.sig`,
            '--key',
            'big-rsa',
            '--signature-algorithm',
            scheme,
          ]),
        ),
      ).toMatch(/valid/);
    }
    ok(await hush(['transit', 'keys', 'create', 'big-ec', '--type', 'ecdsa-p256']));
    const refused = await hush(['sign', artefact, '--key', 'big-ec']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('HUSH_E_TRANSIT_KEY_TYPE');
  });

  it('hush sign --out refuses to write through a symbolic link; the link target is untouched', async () => {
    ok(await hush(['transit', 'keys', 'create', 'link-ed', '--type', 'ed25519']));
    const artefact = join(fx.dir, 'link.bin');
    await writeFile(artefact, 'artefact');
    const victim = join(fx.dir, 'victim.txt');
    await writeFile(victim, 'keep me');
    const link = join(fx.dir, 'link.sig');
    await symlink(victim, link);
    const run = await hush(['sign', artefact, '--key', 'link-ed', '--out', link]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('symbolic link');
    expect(await readFile(victim, 'utf8')).toBe('keep me');
    ok(await hush(['sign', artefact, '--key', 'link-ed', '--out', join(fx.dir, 'plain.sig')]));
    expect((await stat(join(fx.dir, 'plain.sig'))).mode & 0o777).toBe(0o644);
  });

  it('ed25519: openssl pkeyutl -verify -rawin accepts hush sign output, also offline with the JWK', async () => {
    ok(await hush(['transit', 'keys', 'create', 'art-ed', '--type', 'ed25519']));
    const artefact = join(fx.dir, 'ed.bin');
    await writeFile(artefact, 'ed25519 artefact');
    ok(await hush(['sign', artefact, '--key', 'art-ed']));
    const pem = join(fx.dir, 'ed.pem');
    await writeFile(pem, ok(await hush(['transit', 'keys', 'show', 'art-ed', '--pem'])));
    const r = openssl([
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      pem,
      '-rawin',
      '-in',
      artefact,
      '-sigfile',
      `${artefact}.sig`,
    ]);
    expect(r).toMatchObject({ status: 0 });
    const jwk = join(fx.dir, 'ed.jwk');
    await writeFile(jwk, ok(await hush(['transit', 'keys', 'show', 'art-ed', '--jwk'])));
    expect(ok(await hush(['verify', artefact, '--sig', `${artefact}.sig`, '--public-key', jwk]))).toMatch(
      /valid/,
    );
    expect((await readFile(`${artefact}.sig`)).length).toBe(64);
  });

  it('an artefact too big for one request body verifies against the server as it was signed (as a digest)', async () => {
    ok(await hush(['transit', 'keys', 'create', 'huge-rsa', '--type', 'rsa-2048']));
    const artefact = join(fx.dir, 'huge.bin');
    await writeFile(artefact, Buffer.alloc(3 * 1024 * 1024, 9));
    ok(await hush(['sign', artefact, '--key', 'huge-rsa']));
    expect(ok(await hush(['verify', artefact, '--sig', `${artefact}.sig`, '--key', 'huge-rsa']))).toMatch(
      /valid/,
    );
    await writeFile(artefact, 'x', { flag: 'a' });
    const tampered = await hush(['verify', artefact, '--sig', `${artefact}.sig`, '--key', 'huge-rsa']);
    expect(tampered.code).toBe(2);
    expect(tampered.stderr).toContain('HUSH_E_TRANSIT_INVALID');
  });

  it('a file in the working directory named like the key never turns a server check into an offline one', async () => {
    // The deploy-gate attack: the checkout (attacker-controlled) holds a file named like the signing key with the
    // attacker's public key, and an artefact signed by the attacker.
    ok(await hush(['transit', 'keys', 'create', 'gatekey', '--type', 'ed25519']));
    const checkout = join(fx.dir, 'checkout');
    await mkdir(checkout);
    const attacker = generateKeyPairSync('ed25519');
    await writeFile(join(checkout, 'gatekey'), attacker.publicKey.export({ format: 'pem', type: 'spki' }));
    await writeFile(join(checkout, 'app.tar'), 'evil build');
    await writeFile(
      join(checkout, 'app.tar.sig'),
      sign(null, Buffer.from('evil build'), attacker.privateKey),
    );
    const run = await runHush(['verify', 'app.tar', '--sig', 'app.tar.sig', '--key', 'gatekey'], {
      env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root },
      cwd: checkout,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HUSH_E_TRANSIT_INVALID');
    // Offline verification is asked for by name: --public-key.
    const offline = await runHush(['verify', 'app.tar', '--sig', 'app.tar.sig', '--public-key', 'gatekey'], {
      cwd: checkout,
    });
    expect(offline.code, offline.stderr).toBe(0);
    const neither = await runHush(['verify', 'app.tar', '--sig', 'app.tar.sig'], { cwd: checkout });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('HUSH_E_USAGE');
  });
});

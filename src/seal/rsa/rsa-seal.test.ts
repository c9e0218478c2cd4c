import { execFileSync } from 'node:child_process';
import { generateKeyPair } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { expectHushErrorAsync } from '../../../test/support/expect-hush-error.js';
import { describeWithTool } from '../../../test/support/require-tool.js';
import { generateKey } from '../../core/crypto/random.js';
import { RsaSeal } from './rsa-seal.js';

const passphrase = 'correct horse battery staple';
const makePair = promisify(generateKeyPair);
// 3072-bit generation takes about a second each: make both pairs once, in parallel.
const [owner, stranger] = await Promise.all([
  makePair('rsa', {
    modulusLength: 3072,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  }),
  makePair('rsa', {
    modulusLength: 3072,
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }),
]);
const rootKey = generateKey();
const seal = new RsaSeal({ publicKeyPem: owner.publicKey });
const { record } = await seal.init(rootKey);
const unsealer = new RsaSeal();

describe('RsaSeal', () => {
  it('records the wrapped key and fingerprint, never the key itself', () => {
    expect(record).toMatchObject({ kind: 'rsa', version: 1, algorithm: 'RSA-OAEP-SHA256', keyBits: 3072 });
    expect(record['fingerprint']).toBe(seal.fingerprint);
    expect(Buffer.from(String(record['wrappedRootKey']), 'base64')).toHaveLength(384);
    expect(JSON.stringify(record)).not.toContain(rootKey.toString('base64'));
    expect(rootKey.some((b) => b !== 0)).toBe(true);
  });

  it('unseals with the passphrase-protected private key', async () => {
    const key = await unsealer.unseal(record, { privateKeyPem: owner.privateKey, passphrase });
    expect(key.equals(rootKey)).toBe(true);
  });

  it('wraps with fresh randomness each time (OAEP), yet both unseal', async () => {
    const again = await seal.init(rootKey);
    expect(again.record['wrappedRootKey']).not.toBe(record['wrappedRootKey']);
    const key = await unsealer.unseal(again.record, { privateKeyPem: owner.privateKey, passphrase });
    expect(key.equals(rootKey)).toBe(true);
  });

  it('works with an unencrypted PKCS#1 key and a PKCS#1 public key', async () => {
    const s = new RsaSeal({ publicKeyPem: stranger.publicKey });
    const init = await s.init(rootKey);
    const key = await unsealer.unseal(init.record, {
      privateKeyPem: stranger.privateKey,
      passphrase: 'ignored',
    });
    expect(key.equals(rootKey)).toBe(true);
  });

  it('tells the operator how to supply a missing key', async () => {
    const err = await expectHushErrorAsync(unsealer.unseal(record, {}), 'HUSH_E_UNSEAL_FAILED');
    expect(err.message).toContain(`sealed to the RSA key ${String(record['fingerprint'])}`);
    expect(err.message).toContain('supply');
  });

  it('names expected and found fingerprints for the wrong key', async () => {
    const other = new RsaSeal({ publicKeyPem: stranger.publicKey }).fingerprint ?? '';
    const err = await expectHushErrorAsync(
      unsealer.unseal(record, { privateKeyPem: stranger.privateKey }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(err.message).toBe(
      `wrong private key: this store is sealed to ${String(record['fingerprint'])} but the key supplied is ${other}; supply the matching private key`,
    );
  });

  it('distinguishes a missing passphrase from a wrong one, without echoing either', async () => {
    const missing = await expectHushErrorAsync(
      unsealer.unseal(record, { privateKeyPem: owner.privateKey }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(missing.message).toBe('the private key is encrypted; supply its passphrase as well');
    const wrong = await expectHushErrorAsync(
      unsealer.unseal(record, { privateKeyPem: owner.privateKey, passphrase: 'hunter2' }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(wrong.message).toContain('the passphrase does not decrypt the private key');
    expect(wrong.message).not.toContain('hunter2');
  });

  it('rejects a public key or garbage where the private key belongs', async () => {
    const pub = await expectHushErrorAsync(
      unsealer.unseal(record, { privateKeyPem: owner.publicKey }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(pub.message).toContain('is a public key');
    const junk = await expectHushErrorAsync(
      unsealer.unseal(record, { privateKeyPem: 'junk' }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(junk.message).toContain('is not a PEM private key');
    const notText = { privateKeyPem: 42 } as unknown as { privateKeyPem: string };
    await expectHushErrorAsync(unsealer.unseal(record, notText), 'HUSH_E_UNSEAL_FAILED');
  });

  it('reports a damaged wrapped key as HUSH_E_INTEGRITY', async () => {
    const wrapped = Buffer.from(String(record['wrappedRootKey']), 'base64');
    wrapped[100] = (wrapped[100] ?? 0) ^ 1;
    const damaged = { ...record, wrappedRootKey: wrapped.toString('base64') };
    await expectHushErrorAsync(
      unsealer.unseal(damaged, { privateKeyPem: owner.privateKey, passphrase }),
      'HUSH_E_INTEGRITY',
    );
    const badShape = { ...record, fingerprint: 'md5:abc' };
    await expectHushErrorAsync(
      unsealer.unseal(badShape, { privateKeyPem: owner.privateKey, passphrase }),
      'HUSH_E_INTEGRITY',
    );
  });

  it('refuses to init without a public key or with a wrong-size root key', async () => {
    await expectHushErrorAsync(unsealer.init(rootKey), 'HUSH_E_CONFIG');
    await expect(seal.init(new Uint8Array(31))).rejects.toThrow(RangeError);
  });
});

// The documented emergency path: recover the root key with stock OpenSSL, no Hush involved.

const dir = mkdtempSync(join(tmpdir(), 'hush-rsa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithTool('openssl', 'openssl', ['version'], 'RsaSeal interop', () => {
  it('is decryptable by openssl pkeyutl with OAEP/SHA-256', () => {
    const keyFile = join(dir, 'key.pem');
    const inFile = join(dir, 'wrapped.bin');
    writeFileSync(keyFile, owner.privateKey, { mode: 0o600 });
    writeFileSync(inFile, Buffer.from(String(record['wrappedRootKey']), 'base64'), { mode: 0o600 });
    const out = execFileSync('openssl', [
      'pkeyutl',
      '-decrypt',
      '-inkey',
      keyFile,
      '-passin',
      `pass:${passphrase}`,
      '-in',
      inFile,
      '-pkeyopt',
      'rsa_padding_mode:oaep',
      '-pkeyopt',
      'rsa_oaep_md:sha256',
      '-pkeyopt',
      'rsa_mgf1_md:sha256',
    ]);
    expect(out.equals(rootKey)).toBe(true);
  });

  it('fingerprints like openssl pkey -pubin -outform DER | sha256', () => {
    const pubFile = join(dir, 'pub.pem');
    writeFileSync(pubFile, owner.publicKey);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', pubFile, '-outform', 'DER']);
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der })
      .toString()
      .split(' ')[0];
    expect(record['fingerprint']).toBe(`sha256:${digest}`);
  });
});

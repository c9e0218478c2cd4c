import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectHushError } from '../../../test/support/expect-hush-error.js';
import { parseRsaConfig } from './rsa-config.js';
import { loadRsaPublicKey } from './rsa-keys.js';
import { RsaSeal } from './rsa-seal.js';

// Small and non-RSA keys are quick to make; only the accepted key has to be 3072 bits.
const spki = { type: 'spki', format: 'pem' } as const;
const pkcs8 = { type: 'pkcs8', format: 'pem' } as const;
const small = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: spki,
  privateKeyEncoding: pkcs8,
});
const ok = generateKeyPairSync('rsa', {
  modulusLength: 3072,
  publicKeyEncoding: spki,
  privateKeyEncoding: pkcs8,
});
const ec = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  publicKeyEncoding: spki,
  privateKeyEncoding: pkcs8,
});
const pss = generateKeyPairSync('rsa-pss', {
  modulusLength: 2048,
  publicKeyEncoding: spki,
  privateKeyEncoding: pkcs8,
});

describe('rsa config', () => {
  it('accepts a 3072-bit RSA public key and fingerprints its SPKI', () => {
    const key = loadRsaPublicKey(ok.publicKey);
    expect(key.bits).toBe(3072);
    expect(key.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(new RsaSeal({ publicKeyPem: ok.publicKey }).fingerprint).toBe(key.fingerprint);
    expect(loadRsaPublicKey(ok.publicKey).fingerprint).toBe(key.fingerprint);
  });

  it.each<[string, () => string, string]>([
    ['a 2048-bit key', () => small.publicKey, 'is a 2048-bit RSA key; use at least 3072 bits'],
    [
      'an EC key',
      () => ec.publicKey,
      'is a ec key; the RSA seal needs a plain RSA key of at least 3072 bits',
    ],
    ['an RSA-PSS key', () => pss.publicKey, 'is a rsa-pss key'],
    ['a private key', () => ok.privateKey, 'holds a private key; give only the public key'],
    ['garbage', () => 'not a key', 'is not a PEM public key'],
  ])('rejects %s with HUSH_E_CONFIG', (_what, input, message) => {
    const err = expectHushError(() => new RsaSeal({ publicKeyPem: input() }), 'HUSH_E_CONFIG');
    expect(err.message).toContain('invalid rsa seal options: publicKeyPem ');
    expect(err.message).toContain(message);
    // The message must not quote the key it rejects (a private key above all).
    const body = input().split('\n')[2] ?? 'no body';
    expect(err.message).not.toContain(body);
  });

  it('rejects unknown options and non-string keys', () => {
    expect(expectHushError(() => parseRsaConfig({ publicKey: 'x' }), 'HUSH_E_CONFIG').message).toContain(
      'unknown option(s) publicKey',
    );
    expect(expectHushError(() => parseRsaConfig({ publicKeyPem: 42 }), 'HUSH_E_CONFIG').message).toContain(
      'publicKeyPem: publicKeyPem must be the text of a PEM public key',
    );
    expect(parseRsaConfig(undefined)).toEqual({});
  });
});

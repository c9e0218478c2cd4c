import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isHushError } from '../errors/hush-error.js';
import { decodeBase64, formatVersioned, parseVersioned } from './ciphertext.js';
import { generateMaterial } from './key-material.js';
import { TRANSIT_KEY_TYPES, type TransitKeyType } from './key-types.js';
import { exportPublicKey } from './public-key.js';
import { digest, TRANSIT_HASHES } from './signature.js';
import { configuredKey, newKey, rotatedKey, type TransitKey, trimmedKey } from './transit-keyring.js';
import {
  decryptWith,
  encryptWith,
  hmacWith,
  rewrapWith,
  signWith,
  verifyHmacWith,
  verifyWith,
  versionOf,
} from './transit-ops.js';

const NOW = '2026-01-01T00:00:00.000Z';
const keys = new Map<TransitKeyType, TransitKey>();

async function makeKey(type: TransitKeyType, opts: { derived?: boolean } = {}): Promise<TransitKey> {
  return newKey(`k-${type}`, type, opts, (await generateMaterial(type)).toString('base64'), NOW);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isHushError(err) ? err.code : 'not-coded';
  }
  return undefined;
}

beforeAll(async () => {
  for (const type of TRANSIT_KEY_TYPES) keys.set(type, await makeKey(type));
}, 60_000);

const key = (type: TransitKeyType) => keys.get(type) as TransitKey;
const bytes = fc.uint8Array({ maxLength: 150 });

describe('transit encryption', () => {
  for (const type of ['aes256-gcm96', 'chacha20-poly1305', 'rsa-2048'] as const) {
    it(`${type}: decrypt(encrypt(x, ad)) = x, and other associated data fails`, () => {
      fc.assert(
        fc.property(bytes, fc.uint8Array({ minLength: 1, maxLength: 20 }), (plain, ad) => {
          const k = key(type);
          const ct = encryptWith(k, plain, { associatedData: Buffer.from(ad) });
          expect(ct).toMatch(/^hush:v1:[A-Za-z0-9+/=]+$/);
          expect(decryptWith(k, ct, { associatedData: Buffer.from(ad) }).equals(Buffer.from(plain))).toBe(
            true,
          );
          expect(codeOf(() => decryptWith(k, ct, { associatedData: Buffer.from([...ad, 1]) }))).toBe(
            'HUSH_E_TRANSIT_INVALID',
          );
        }),
        { numRuns: type === 'rsa-2048' ? 10 : 100 },
      );
    });
  }

  it('any flipped or truncated byte of a ciphertext is HUSH_E_TRANSIT_INVALID', () => {
    const k = key('aes256-gcm96');
    fc.assert(
      fc.property(bytes, fc.nat(), fc.integer({ min: 1, max: 255 }), (plain, at, flip) => {
        const parsed = parseVersioned(encryptWith(k, plain), 'ct');
        const tampered = Buffer.from(parsed.bytes);
        const i = at % tampered.length;
        tampered[i] = (tampered[i] ?? 0) ^ flip;
        expect(codeOf(() => decryptWith(k, formatVersioned(1, tampered)))).toBe('HUSH_E_TRANSIT_INVALID');
        const cut = parsed.bytes.subarray(0, i);
        if (cut.length > 0)
          expect(codeOf(() => decryptWith(k, formatVersioned(1, cut)))).toBe('HUSH_E_TRANSIT_INVALID');
      }),
    );
  });

  it('derived keys need a context, and another context does not decrypt', async () => {
    const k = await makeKey('aes256-gcm96', { derived: true });
    fc.assert(
      fc.property(bytes, fc.uint8Array({ minLength: 1, maxLength: 16 }), (plain, ctx) => {
        const context = Buffer.from(ctx);
        const ct = encryptWith(k, plain, { context });
        expect(decryptWith(k, ct, { context }).equals(Buffer.from(plain))).toBe(true);
        expect(codeOf(() => decryptWith(k, ct, { context: Buffer.concat([context, Buffer.of(0)]) }))).toBe(
          'HUSH_E_TRANSIT_INVALID',
        );
      }),
    );
    expect(codeOf(() => encryptWith(k, Buffer.from('x')))).toBe('HUSH_E_INVALID_INPUT');
    expect(
      codeOf(() => encryptWith(key('aes256-gcm96'), Buffer.from('x'), { context: Buffer.from('c') })),
    ).toBe('HUSH_E_INVALID_INPUT');
  });

  it('RSA keys are never derived: a context is refused rather than ignored', () => {
    expect(codeOf(() => encryptWith(key('rsa-2048'), Buffer.from('x'), { context: Buffer.from('c') }))).toBe(
      'HUSH_E_INVALID_INPUT',
    );
  });

  it('rotation keeps old ciphertexts readable, rewrap upgrades them, min_decryption_version refuses the old', async () => {
    let k = key('chacha20-poly1305');
    const old = encryptWith(k, Buffer.from('payload'));
    k = rotatedKey(k, (await generateMaterial(k.type)).toString('base64'), NOW);
    expect(decryptWith(k, old).toString()).toBe('payload');
    const upgraded = rewrapWith(k, old);
    expect(upgraded.startsWith('hush:v2:')).toBe(true);
    k = configuredKey(k, { minDecryptionVersion: 2 }, NOW);
    expect(codeOf(() => decryptWith(k, old))).toBe('HUSH_E_TRANSIT_VERSION');
    expect(decryptWith(k, upgraded).toString()).toBe('payload');
    k = trimmedKey(k, 2, NOW);
    expect(Object.keys(k.versions)).toEqual(['2']);
    expect(codeOf(() => configuredKey(k, { minDecryptionVersion: 1 }, NOW))).toBe('HUSH_E_INVALID_INPUT');
    expect(codeOf(() => trimmedKey(k, 3, NOW))).toBe('HUSH_E_INVALID_INPUT');
    expect(codeOf(() => encryptWith(k, Buffer.from('x'), {}, 1))).toBe('HUSH_E_TRANSIT_VERSION');
    expect(codeOf(() => decryptWith(k, 'hush:v9:AAAA'))).toBe('HUSH_E_TRANSIT_VERSION');
  });

  it('malformed strings are refused with a code and never echoed', () => {
    const k = key('aes256-gcm96');
    for (const bad of [
      'vault:v1:AAAA',
      'hush:v1:',
      'hush:v0:AAAA',
      'hush:v1:not base64!',
      'secret-plaintext',
    ]) {
      let message = '';
      try {
        decryptWith(k, bad);
      } catch (err) {
        expect(isHushError(err, 'HUSH_E_TRANSIT_INVALID')).toBe(true);
        message = (err as Error).message;
      }
      expect(message).not.toContain(bad);
    }
    expect(codeOf(() => decodeBase64('ab$=', 'plaintext'))).toBe('HUSH_E_INVALID_INPUT');
  });

  it('the wrong key type for an operation is HUSH_E_TRANSIT_KEY_TYPE', () => {
    expect(codeOf(() => signWith(key('aes256-gcm96'), Buffer.from('m')))).toBe('HUSH_E_TRANSIT_KEY_TYPE');
    expect(codeOf(() => encryptWith(key('ed25519'), Buffer.from('m')))).toBe('HUSH_E_TRANSIT_KEY_TYPE');
    expect(codeOf(() => hmacWith(key('ecdsa-p256'), Buffer.from('m'), 'sha2-256'))).toBe(
      'HUSH_E_TRANSIT_KEY_TYPE',
    );
    expect(codeOf(() => encryptWith(key('hmac'), Buffer.from('m')))).toBe('HUSH_E_TRANSIT_KEY_TYPE');
  });
});

describe('transit signatures', () => {
  const signing = ['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
  for (const type of signing) {
    it(`${type}: verify(sign(m)) for every hash, and not for another message`, () => {
      fc.assert(
        fc.property(
          bytes,
          fc.constantFrom(...TRANSIT_HASHES),
          fc.constantFrom('pss', 'pkcs1v15' as const),
          (m, hash, rsaScheme) => {
            const k = key(type);
            const sig = signWith(k, m, { hash, rsaScheme });
            expect(verifyWith(k, m, sig, { hash, rsaScheme })).toBe(true);
            expect(
              verifyWith(k, Buffer.concat([Buffer.from(m), Buffer.of(1)]), sig, { hash, rsaScheme }),
            ).toBe(false);
          },
        ),
        { numRuns: type.startsWith('rsa') ? 6 : 40 },
      );
    });
  }

  it('RSA prehashed signatures equal message signatures (both schemes, both directions)', () => {
    const k = key('rsa-2048');
    for (const hash of TRANSIT_HASHES)
      for (const rsaScheme of ['pss', 'pkcs1v15'] as const) {
        const m = Buffer.from(`message ${hash} ${rsaScheme}`);
        const d = digest(hash, m);
        expect(
          verifyWith(k, m, signWith(k, d, { hash, rsaScheme, prehashed: true }), { hash, rsaScheme }),
        ).toBe(true);
        expect(
          verifyWith(k, d, signWith(k, m, { hash, rsaScheme }), { hash, rsaScheme, prehashed: true }),
        ).toBe(true);
        expect(
          verifyWith(k, digest(hash, Buffer.from('other')), signWith(k, m, { hash, rsaScheme }), {
            hash,
            rsaScheme,
            prehashed: true,
          }),
        ).toBe(false);
      }
    expect(
      codeOf(() => signWith(key('ecdsa-p256'), digest('sha2-256', Buffer.from('m')), { prehashed: true })),
    ).toBe('HUSH_E_TRANSIT_KEY_TYPE');
    expect(codeOf(() => signWith(k, Buffer.alloc(5), { prehashed: true }))).toBe('HUSH_E_INVALID_INPUT');
  });

  it('exports PEM and a JWK with kid and alg', () => {
    const k = key('ecdsa-p256');
    const out = exportPublicKey(k.name, 1, versionOf(k, 1));
    expect(out.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(out.jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'k-ecdsa-p256:v1', alg: 'ES256' });
    expect(JSON.stringify(out)).not.toMatch(/"d"/);
  });
});

describe('transit hmac', () => {
  for (const type of ['hmac', 'aes256-gcm96'] as const)
    it(`${type}: verify(hmac(m)) and not for another message`, () => {
      fc.assert(
        fc.property(bytes, fc.constantFrom(...TRANSIT_HASHES), (m, hash) => {
          const k = key(type);
          const mac = hmacWith(k, m, hash);
          expect(verifyHmacWith(k, m, mac, hash)).toBe(true);
          expect(verifyHmacWith(k, Buffer.concat([Buffer.from(m), Buffer.of(0)]), mac, hash)).toBe(false);
        }),
      );
    });
});

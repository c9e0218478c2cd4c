import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HushError } from '../src/core/errors/hush-error.js';
import {
  AMBIGUOUS_CHARACTERS,
  apiKey,
  apiKeyRandomLength,
  base62ToBytes,
  generateSecret,
  keyPair,
  PASSWORD_CLASSES,
  parseGeneratorKind,
  password,
  randomBytesEncoded,
  uuid,
  verifyApiKeyChecksum,
} from '../src/core/generate/index.js';

/** Expect `fn` to throw a one-line HushError of `code` whose message matches `message`. */
function expectHushError(fn: () => unknown, code: string, message: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(HushError);
  expect((err as HushError).code).toBe(code);
  expect((err as HushError).message).toMatch(message);
  expect((err as HushError).message).not.toContain('\n');
}

describe('password', () => {
  it('defaults to 24 characters with every class present', () => {
    for (let i = 0; i < 200; i++) {
      const p = password();
      expect(p).toHaveLength(24);
      for (const chars of Object.values(PASSWORD_CLASSES))
        expect([...p].some((c) => chars.includes(c))).toBe(true);
    }
  });

  it('honours minimum counts, disabled classes and exclusions', () => {
    for (let i = 0; i < 200; i++) {
      const p = password({
        length: 12,
        digits: 5,
        symbols: false,
        exclude: 'abcXYZ',
        excludeAmbiguous: true,
      });
      expect(p).toHaveLength(12);
      expect([...p].filter((c) => PASSWORD_CLASSES.digits.includes(c)).length).toBeGreaterThanOrEqual(5);
      expect(p).not.toMatch(/[!#$%&()*+,\-./:;<=>?@[\]^_{|}~]/);
      for (const c of `abcXYZ${AMBIGUOUS_CHARACTERS}`) expect(p).not.toContain(c);
    }
  });

  it('draws uniformly (chi-square over a large sample, generous bound)', () => {
    const alphabet = PASSWORD_CLASSES.lower;
    const counts = new Map<string, number>();
    const n = 2000;
    const len = 64;
    for (let i = 0; i < n; i++)
      for (const c of password({ length: len, upper: false, digits: false, symbols: false }))
        counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(alphabet.length);
    const expected = (n * len) / alphabet.length;
    let chi = 0;
    for (const c of alphabet) chi += ((counts.get(c) ?? 0) - expected) ** 2 / expected;
    // 25 degrees of freedom: mean 25; 80 is beyond p = 1e-7, so a biased generator fails and a good one passes.
    expect(chi).toBeLessThan(80);
  });

  it('spreads required characters over every position (the shuffle works)', () => {
    const firstIsDigit = Array.from({ length: 2000 }, () =>
      password({ length: 4, lower: 1, upper: 1, digits: 1, symbols: 1 }),
    )
      .map((p) => PASSWORD_CLASSES.digits.includes(p[0]!))
      .filter(Boolean).length;
    // Uniform: a digit is first about 1/4 of the time. Without the shuffle it would be never or always.
    expect(firstIsDigit).toBeGreaterThan(350);
    expect(firstIsDigit).toBeLessThan(650);
  });

  it('rejects impossible policies with what to change', () => {
    expectHushError(
      () => password({ length: 3 }),
      'HUSH_E_INVALID_INPUT',
      /add up to 4, more than the length 3/,
    );
    expectHushError(() => password({ length: 5000 }), 'HUSH_E_INVALID_INPUT', /1\.\.4096, got 5000/);
    expectHushError(() => password({ length: 0 }), 'HUSH_E_INVALID_INPUT', /length/);
    expectHushError(
      () => password({ lower: false, upper: false, digits: false, symbols: false }),
      'HUSH_E_INVALID_INPUT',
      /every character class is disabled/,
    );
    expectHushError(
      () => password({ exclude: PASSWORD_CLASSES.digits }),
      'HUSH_E_INVALID_INPUT',
      /every digits character is excluded/,
    );
    expectHushError(() => password({ symbols: -1 }), 'HUSH_E_INVALID_INPUT', /minimum for symbols/);
    // Excluding a whole class that is optional (min 0) is fine.
    expect(password({ digits: 0, exclude: PASSWORD_CLASSES.digits })).not.toMatch(/\d/);
  });
});

describe('random bytes, api keys, uuids', () => {
  it('every encoding decodes to the requested byte count', () => {
    for (const bytes of [1, 16, 32, 33, 64]) {
      expect(Buffer.from(randomBytesEncoded({ bytes, encoding: 'hex' }), 'hex')).toHaveLength(bytes);
      expect(Buffer.from(randomBytesEncoded({ bytes, encoding: 'base64' }), 'base64')).toHaveLength(bytes);
      const url = randomBytesEncoded({ bytes, encoding: 'base64url' });
      expect(url).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(url, 'base64url')).toHaveLength(bytes);
      const b62 = randomBytesEncoded({ bytes, encoding: 'base62' });
      expect(b62).toMatch(/^[0-9A-Za-z]+$/);
      expect(base62ToBytes(b62, bytes)).toHaveLength(bytes);
    }
    expect(randomBytesEncoded()).toMatch(/^[0-9a-f]{64}$/);
    expect(randomBytesEncoded({ encoding: 'base62' })).toHaveLength(43);
    expect(randomBytesEncoded()).not.toBe(randomBytesEncoded());
  });

  it('rejects bad byte counts and encodings', () => {
    expectHushError(() => randomBytesEncoded({ bytes: 0 }), 'HUSH_E_INVALID_INPUT', /1\.\.4096, got 0/);
    expectHushError(() => randomBytesEncoded({ bytes: 1.5 }), 'HUSH_E_INVALID_INPUT', /whole number/);
    expectHushError(
      () => randomBytesEncoded({ encoding: 'base32' as never }),
      'HUSH_E_INVALID_INPUT',
      /hex, base64, base64url, base62/,
    );
  });

  it('api keys carry the prefix and a checksum that verifies; a typo fails it', () => {
    const key = apiKey({ prefix: 'acme' });
    expect(key).toMatch(new RegExp(`^acme_[0-9A-Za-z]{${apiKeyRandomLength(32) + 6}}$`));
    expect(verifyApiKeyChecksum(key)).toBe(true);
    const last = key.at(-8)!;
    const typo = `${key.slice(0, -8)}${last === 'a' ? 'b' : 'a'}${key.slice(-7)}`;
    expect(verifyApiKeyChecksum(typo)).toBe(false);
    expect(verifyApiKeyChecksum(apiKey({ prefix: 'sk-live', bytes: 16 }))).toBe(true);
    expectHushError(() => apiKey({ prefix: '' }), 'HUSH_E_INVALID_INPUT', /e\.g\. --prefix acme/);
    expectHushError(() => apiKey({ prefix: 'a_b' }), 'HUSH_E_INVALID_INPUT', /prefix/);
  });

  it('uuids are random version 4', () => {
    const u = uuid();
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuid()).not.toBe(u);
  });

  it('unknown generator kinds list the valid ones', () => {
    expectHushError(
      () => parseGeneratorKind('pin'),
      'HUSH_E_INVALID_INPUT',
      /password, bytes, api-key, uuid, keypair, ssh-key/,
    );
    expect(typeof generateSecret({ kind: 'uuid' })).toBe('string');
  });
});

describe('PEM key pairs', () => {
  const data = Buffer.from('hush signs this');
  const cases = [
    { type: 'ed25519' as const },
    { type: 'ec' as const, curve: 'P-384' as const },
    { type: 'rsa' as const, bits: 2048 },
  ];
  for (const opts of cases) {
    it(`${opts.type}: loads (encrypted with a passphrase) and signs/verifies`, () => {
      const plain = keyPair(opts);
      expect(plain.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      const enc = keyPair({ ...opts, passphrase: 'correct horse' });
      expect(enc.privateKeyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      expect(() => createPrivateKey(enc.privateKeyPem)).toThrow();
      expect(() => createPrivateKey({ key: enc.privateKeyPem, passphrase: 'wrong' })).toThrow();
      for (const [pair, passphrase] of [
        [plain, undefined],
        [enc, 'correct horse'],
      ] as const) {
        const priv = createPrivateKey({ key: pair.privateKeyPem, ...(passphrase ? { passphrase } : {}) });
        const pub = createPublicKey(pair.publicKeyPem);
        const hash = opts.type === 'ed25519' ? null : 'sha256';
        const sig = sign(hash, data, priv);
        expect(verify(hash, data, pub, sig)).toBe(true);
        expect(verify(hash, Buffer.from('tampered'), pub, sig)).toBe(false);
      }
      if (opts.type === 'rsa')
        expect(createPublicKey(plain.publicKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
      if (opts.type === 'ec')
        expect(createPublicKey(plain.publicKeyPem).asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    });
  }

  it('rejects bad options', () => {
    expectHushError(
      () => keyPair({ type: 'rsa', bits: 1024 }),
      'HUSH_E_INVALID_INPUT',
      /2048\.\.8192.*got 1024/,
    );
    expectHushError(
      () => keyPair({ type: 'ec', curve: 'P-192' as never }),
      'HUSH_E_INVALID_INPUT',
      /P-256, P-384, P-521/,
    );
    expectHushError(() => keyPair({ type: 'dsa' as never }), 'HUSH_E_INVALID_INPUT', /rsa, ec, ed25519/);
    expectHushError(() => keyPair({ type: 'ed25519', bits: 2048 }), 'HUSH_E_INVALID_INPUT', /rsa keys only/);
    expectHushError(() => keyPair({ passphrase: '' }), 'HUSH_E_INVALID_INPUT', /passphrase is empty/);
  });
});

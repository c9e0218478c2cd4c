import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectHushError } from '../../../test/support/expect-hush-error.js';
import {
  decryptValue,
  encryptValue,
  openValue,
  rewrapValue,
  type SealedValue,
  type SecretLocation,
  unwrapDataKey,
  valueAad,
} from './envelope.js';
import { createKeyring, pruneKeyring, rotateKeyring } from './keyring.js';

const now = new Date('2026-03-01T00:00:00Z');
const loc: SecretLocation = { project: 'payments', environment: 'prod', path: 'db/password', version: 2 };
const segment = fc.string({ minLength: 1, maxLength: 16 });
const location = fc.record({
  project: segment,
  environment: segment,
  path: segment,
  version: fc.integer({ min: 1 }),
});

describe('envelope encryptValue / decryptValue', () => {
  it('round-trips any value (including empty) at any location', () => {
    const ring = createKeyring('p/e', now);
    fc.assert(
      fc.property(location, fc.uint8Array({ maxLength: 1024 }), (l, value) => {
        const sealed = encryptValue(ring, l, value);
        expect(sealed.kekVersion).toBe(1);
        expect(decryptValue(ring, l, sealed).equals(Buffer.from(value))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('opens with a kept data key and value AAD only for the location and KEK version they belong to', () => {
    const ring = rotateKeyring(createKeyring('payments/prod', now), now);
    const sealed = encryptValue(ring, loc, Buffer.from('v'));
    const key = unwrapDataKey(ring, loc, sealed);
    expect(openValue(key, loc, sealed, valueAad(loc, sealed.kekVersion)).toString()).toBe('v');
    expectHushError(() => openValue(key, loc, sealed, valueAad(loc, 1)), 'HUSH_E_INTEGRITY');
    const elsewhere = valueAad({ ...loc, version: 3 }, sealed.kekVersion);
    expectHushError(() => openValue(key, loc, sealed, elsewhere), 'HUSH_E_INTEGRITY');
  });

  it('uses a fresh data key per version, so the same value encrypts differently', () => {
    const ring = createKeyring('p/e', now);
    const a = encryptValue(ring, loc, Buffer.from('v'));
    const b = encryptValue(ring, loc, Buffer.from('v'));
    expect(a.wrappedKey.equals(b.wrappedKey)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it.each<[string, Partial<SecretLocation>]>([
    ['path', { path: 'db/other' }],
    ['version', { version: 3 }],
    ['project', { project: 'billing' }],
    ['environment', { environment: 'staging' }],
  ])('refuses a sealed value moved to another %s', (_what, change) => {
    const ring = createKeyring('p/e', now);
    const sealed = encryptValue(ring, loc, Buffer.from('hunter2'));
    const err = expectHushError(() => decryptValue(ring, { ...loc, ...change }, sealed), 'HUSH_E_INTEGRITY');
    expect(err.message).not.toContain('hunter2');
  });

  it('refuses a wrapped key or a value ciphertext spliced from another version', () => {
    const ring = createKeyring('p/e', now);
    const v2 = encryptValue(ring, loc, Buffer.from('two'));
    const v3loc = { ...loc, version: 3 };
    const v3 = encryptValue(ring, v3loc, Buffer.from('three'));
    const swappedKey: SealedValue = { ...v3, wrappedKey: v2.wrappedKey };
    const swappedValue: SealedValue = { ...v3, ciphertext: v2.ciphertext };
    expect(
      expectHushError(() => decryptValue(ring, v3loc, swappedKey), 'HUSH_E_INTEGRITY').message,
    ).toContain('data key of payments/prod/db/password@v3');
    expect(
      expectHushError(() => decryptValue(ring, v3loc, swappedValue), 'HUSH_E_INTEGRITY').message,
    ).toContain('value of payments/prod/db/password@v3');
  });

  it('refuses a sealed value opened with another keyring scope', () => {
    const prod = createKeyring('payments/prod', now);
    const dev = createKeyring('payments/dev', now);
    const sealed = encryptValue(prod, loc, Buffer.from('x'));
    expectHushError(() => decryptValue(dev, loc, sealed), 'HUSH_E_INTEGRITY');
  });

  it('refuses a sealed value whose KEK version was relabelled', () => {
    const ring = rotateKeyring(createKeyring('p/e', now), now);
    const sealed = encryptValue(ring, loc, Buffer.from('x'));
    expectHushError(() => decryptValue(ring, loc, { ...sealed, kekVersion: 1 }), 'HUSH_E_INTEGRITY');
    expectHushError(() => decryptValue(ring, loc, { ...sealed, kekVersion: 9 }), 'HUSH_E_INTEGRITY');
  });

  it('detects a single flipped byte anywhere in either ciphertext', () => {
    const ring = createKeyring('p/e', now);
    const sealed = encryptValue(ring, loc, Buffer.from('flip me'));
    for (const field of ['wrappedKey', 'ciphertext'] as const) {
      for (let i = 0; i < sealed[field].length; i++) {
        const bad = Buffer.from(sealed[field]);
        bad[i] = (bad[i] ?? 0) ^ 0x01;
        expectHushError(() => decryptValue(ring, loc, { ...sealed, [field]: bad }), 'HUSH_E_INTEGRITY');
      }
      for (let len = 0; len < sealed[field].length; len++) {
        const cut = sealed[field].subarray(0, len);
        expectHushError(() => decryptValue(ring, loc, { ...sealed, [field]: cut }), 'HUSH_E_INTEGRITY');
      }
    }
  });
});

describe('envelope rewrapValue', () => {
  it('moves a value to the current KEK so old versions can be pruned', () => {
    const r1 = createKeyring('p/e', now);
    const old = encryptValue(r1, loc, Buffer.from('keep me'));
    const r2 = rotateKeyring(r1, now);
    const moved = rewrapValue(r2, loc, old);
    expect(moved.kekVersion).toBe(2);
    expect(decryptValue(r2, loc, moved).toString()).toBe('keep me');
    const pruned = pruneKeyring(r2, 2);
    expect(decryptValue(pruned, loc, moved).toString()).toBe('keep me');
    expectHushError(() => decryptValue(pruned, loc, old), 'HUSH_E_INTEGRITY');
  });

  it('leaves a value already under the current KEK untouched', () => {
    const ring = createKeyring('p/e', now);
    const sealed = encryptValue(ring, loc, Buffer.from('x'));
    expect(rewrapValue(ring, loc, sealed)).toBe(sealed);
  });

  it('round-trips by property across rotations', () => {
    fc.assert(
      fc.property(
        location,
        fc.uint8Array({ maxLength: 256 }),
        fc.integer({ min: 1, max: 4 }),
        (l, value, turns) => {
          let ring = createKeyring('p/e', now);
          let sealed = encryptValue(ring, l, value);
          for (let i = 0; i < turns; i++) {
            ring = rotateKeyring(ring, now);
            sealed = rewrapValue(ring, l, sealed);
          }
          expect(sealed.kekVersion).toBe(1 + turns);
          expect(decryptValue(ring, l, sealed).equals(Buffer.from(value))).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses to rewrap a tampered or misplaced value', () => {
    const r1 = createKeyring('p/e', now);
    const sealed = encryptValue(r1, loc, Buffer.from('x'));
    const r2 = rotateKeyring(r1, now);
    expectHushError(() => rewrapValue(r2, { ...loc, path: 'elsewhere' }, sealed), 'HUSH_E_INTEGRITY');
    const bad = Buffer.from(sealed.ciphertext);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    expectHushError(() => rewrapValue(r2, loc, { ...sealed, ciphertext: bad }), 'HUSH_E_INTEGRITY');
  });
});

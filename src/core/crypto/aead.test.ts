import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectHushError } from '../../../test/support/expect-hush-error.js';
import { type AadFields, encodeAad } from './aad.js';
import { openAead, sealAead } from './aead.js';
import { generateKey, KEY_BYTES } from './random.js';

const HEADER = 1 + 12 + 16;
const key = fc.uint8Array({ minLength: KEY_BYTES, maxLength: KEY_BYTES });
const plaintext = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 2048 }));
const aad: fc.Arbitrary<AadFields> = fc.dictionary(
  fc.string({ maxLength: 10 }),
  fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
  { maxKeys: 6, noNullPrototype: true },
);

describe('sealAead / openAead', () => {
  it('round-trips any key, plaintext (including empty) and AAD', () => {
    fc.assert(
      fc.property(key, plaintext, aad, (k, p, a) => {
        const box = sealAead(k, p, a);
        expect(box.length).toBe(HEADER + p.length);
        expect(openAead(k, box, a).equals(Buffer.from(p))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('opens with the encoded AAD bytes exactly as with the fields, and refuses other bytes', () => {
    fc.assert(
      fc.property(key, plaintext, aad, (k, p, a) => {
        const box = sealAead(k, p, a);
        const bytes = encodeAad(a);
        expect(openAead(k, box, bytes).equals(Buffer.from(p))).toBe(true);
        const other = Buffer.from(bytes);
        other[other.length - 1]! ^= 1;
        expectHushError(() => openAead(k, box, other), 'HUSH_E_INTEGRITY');
      }),
      { numRuns: 100 },
    );
  });

  it('uses a fresh nonce each time, so equal plaintexts give different envelopes', () => {
    const k = generateKey();
    const a = sealAead(k, Buffer.from('same'), { purpose: 't' });
    const b = sealAead(k, Buffer.from('same'), { purpose: 't' });
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('opens an envelope that is a view into a larger buffer', () => {
    const k = generateKey();
    const box = sealAead(k, Buffer.from('inner'), { purpose: 't' });
    const outer = Buffer.concat([Buffer.from('junk'), box, Buffer.from('junk')]);
    const view = outer.subarray(4, 4 + box.length);
    expect(openAead(k, view, { purpose: 't' }).toString()).toBe('inner');
  });

  it('refuses under a different key or different AAD', () => {
    fc.assert(
      fc.property(key, key, plaintext, aad, (k1, k2, p, a1) => {
        const box = sealAead(k1, p, a1);
        if (!Buffer.from(k1).equals(Buffer.from(k2)))
          expectHushError(() => openAead(k2, box, a1), 'HUSH_E_INTEGRITY');
        const extra = { ...a1, extra: a1['extra'] === 'field' ? 'other' : 'field' };
        expectHushError(() => openAead(k1, box, extra), 'HUSH_E_INTEGRITY');
      }),
      { numRuns: 200 },
    );
  });

  it('detects every single-bit and whole-byte flip anywhere in a short envelope (exhaustive)', () => {
    const k = generateKey();
    const fieldsA = { purpose: 'value', path: 'a/b', version: 3 };
    const box = sealAead(k, Buffer.from('xy'), fieldsA);
    const masks = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff];
    let checked = 0;
    for (let i = 0; i < box.length; i++) {
      for (const mask of masks) {
        const bad = Buffer.from(box);
        bad[i] = (bad[i] ?? 0) ^ mask;
        const err = expectHushError(() => openAead(k, bad, fieldsA), 'HUSH_E_INTEGRITY');
        expect(err.message).not.toContain('xy');
        checked++;
      }
    }
    expect(checked).toBe(box.length * masks.length);
    expect(openAead(k, box, fieldsA).toString()).toBe('xy');
  });

  it('detects any single-byte change in long envelopes (property)', () => {
    const k = generateKey();
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 100, maxLength: 4096 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (p, at, mask) => {
          const box = sealAead(k, p, { purpose: 'long' });
          const bad = Buffer.from(box);
          const i = at % bad.length;
          bad[i] = (bad[i] ?? 0) ^ mask;
          expectHushError(() => openAead(k, bad, { purpose: 'long' }), 'HUSH_E_INTEGRITY');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('detects every truncation and any appended bytes', () => {
    const k = generateKey();
    const box = sealAead(k, Buffer.from('hello world'), { purpose: 'trunc' });
    for (let len = 0; len < box.length; len++) {
      expectHushError(() => openAead(k, box.subarray(0, len), { purpose: 'trunc' }), 'HUSH_E_INTEGRITY');
    }
    const longer = Buffer.concat([box, Buffer.of(0)]);
    expectHushError(() => openAead(k, longer, { purpose: 'trunc' }), 'HUSH_E_INTEGRITY');
  });

  it('names what failed and how to fix it, without the plaintext', () => {
    const k = generateKey();
    const err = expectHushError(
      () => openAead(k, Buffer.alloc(5), { purpose: 'x' }, 'value of p/e/a@v1'),
      'HUSH_E_INTEGRITY',
    );
    expect(err.message).toContain('value of p/e/a@v1');
    expect(err.message).toContain('5 bytes');
    expect(err.message).toContain('restore it from a backup');
  });

  it('rejects keys of the wrong length as a programmer error', () => {
    expect(() => sealAead(new Uint8Array(16), Buffer.from('x'), {})).toThrow(RangeError);
    expect(() => openAead(new Uint8Array(31), Buffer.alloc(40), {})).toThrow(RangeError);
  });
});

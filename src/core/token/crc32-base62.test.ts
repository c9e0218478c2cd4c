import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE62_ALPHABET, decodeBase62, encodeBase62, isBase62, randomBase62 } from './base62.js';
import { constantTimeEqual } from './constant-time.js';
import { crc32 } from './crc32.js';

describe('crc32', () => {
  it('matches the IEEE check values', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
    expect(crc32(new Uint8Array([0]))).toBe(0xd202ef8d);
    expect(crc32('é')).toBe(crc32(new Uint8Array([0xc3, 0xa9])));
  });

  it('detects every single-character substitution in a token-sized string', () => {
    const s = 'hush_s_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
    const base = crc32(s);
    for (let i = 0; i < s.length; i++) {
      for (const ch of 'xZ9') {
        if (s[i] === ch) continue;
        expect(crc32(s.slice(0, i) + ch + s.slice(i + 1))).not.toBe(base);
      }
    }
  });
});

describe('base62', () => {
  it('encodes with zero padding and known values', () => {
    expect(encodeBase62(0, 6)).toBe('000000');
    expect(encodeBase62(61)).toBe('z');
    expect(encodeBase62(62)).toBe('10');
    expect(encodeBase62(0xffffffff, 6)).toBe('4gfFC3');
    expect(() => encodeBase62(62 ** 2, 2)).toThrow(RangeError);
    expect(() => encodeBase62(-1)).toThrow(RangeError);
    expect(() => decodeBase62('ab-')).toThrow(/not in the alphabet/);
  });

  it('round-trips any 32-bit value in 6 characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const s = encodeBase62(n, 6);
        return s.length === 6 && isBase62(s) && decodeBase62(s) === n;
      }),
    );
  });

  it('randomBase62 has the right length and alphabet, and is roughly uniform (no modulo bias)', () => {
    const s = randomBase62(62 * 2000);
    expect(s).toHaveLength(124_000);
    expect(isBase62(s)).toBe(true);
    const counts = new Map<string, number>();
    for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 2000 each; with modulo bias the first 8 symbols would get ~25% more (about 2500).
    let chi2 = 0;
    for (const ch of BASE62_ALPHABET) chi2 += ((counts.get(ch) ?? 0) - 2000) ** 2 / 2000;
    expect(chi2).toBeLessThan(130); // 61 degrees of freedom: p < 1e-6 above ~120
    expect(randomBase62(0)).toBe('');
  });
});

describe('constantTimeEqual', () => {
  it('compares by value, including different lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(createHash('sha256').update('x').digest('hex')).toHaveLength(64);
  });
});

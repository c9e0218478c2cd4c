import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE62_ALPHABET_LOWER_FIRST, decodeBase62, encodeBase62 } from '../../core/token/base62.js';
import { crc32 } from '../../core/token/crc32.js';
import { checksumMatches, checksumSuffix } from './checksum-token.js';

describe('crc32', () => {
  it('matches the standard check value and known vectors', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
    expect(crc32(new Uint8Array([0]))).toBe(0xd202ef8d);
  });
});

describe('base62', () => {
  it('round-trips any uint32 in both alphabets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        expect(decodeBase62(encodeBase62(n, 6))).toBe(n);
        expect(
          decodeBase62(encodeBase62(n, 6, BASE62_ALPHABET_LOWER_FIRST), BASE62_ALPHABET_LOWER_FIRST),
        ).toBe(n);
        expect(encodeBase62(n, 6)).toHaveLength(6);
      }),
    );
  });
  it('pads, orders digits before upper case, and rejects bad input', () => {
    expect(encodeBase62(0, 3)).toBe('000');
    expect(encodeBase62(10)).toBe('A');
    expect(encodeBase62(61)).toBe('z');
    expect(encodeBase62(62)).toBe('10');
    expect(() => decodeBase62('a-b')).toThrow(RangeError);
    expect(() => encodeBase62(-1)).toThrow(RangeError);
  });
});

describe('checksum tokens', () => {
  it('accepts its own suffix and rejects a changed body', () => {
    const body = 'hush_s_abcDEF0123456789abcDEF0123456789abcDEF0';
    const suffix = checksumSuffix(body);
    expect(checksumMatches(body, suffix)).toBe(true);
    expect(checksumMatches(`${body.slice(0, -1)}1`, suffix)).toBe(false);
  });
});

describe('hush tokens', () => {
  it('formats tokens that validate, and rejects any single-character change', async () => {
    const { formatHushToken, isWellFormedHushToken } = await import('./hush-token.js');
    fc.assert(
      fc.property(
        fc.constantFrom('s' as const, 'b' as const, 'r' as const),
        fc.array(fc.integer({ min: 0, max: 61 }), { minLength: 43, maxLength: 43 }),
        fc.nat(55),
        (kind, digits, pos) => {
          const token = formatHushToken(kind, digits.map((d) => encodeBase62(d)).join(''));
          expect(token).toHaveLength(56);
          expect(isWellFormedHushToken(token)).toBe(true);
          const ch = token[pos]!;
          const swapped = `${token.slice(0, pos)}${ch === 'A' ? 'B' : 'A'}${token.slice(pos + 1)}`;
          expect(isWellFormedHushToken(swapped)).toBe(false);
        },
      ),
    );
    expect(() => formatHushToken('s', 'short')).toThrow(RangeError);
  });
});

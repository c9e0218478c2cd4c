import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys, prefixUpperBound } from './sqlite-key-range.js';

const inRange = (key: string, prefix: string) => {
  const upper = prefixUpperBound(prefix);
  return compareKeys(key, prefix) >= 0 && (upper === undefined || compareKeys(key, upper) < 0);
};

describe('prefixUpperBound', () => {
  it('increments the last code point, skipping surrogates and U+10FFFF', () => {
    expect(prefixUpperBound('app/')).toBe('app0');
    expect(prefixUpperBound('a%')).toBe('a&');
    expect(prefixUpperBound('\u{D7FF}')).toBe('\u{E000}');
    expect(prefixUpperBound('x\u{10FFFF}')).toBe('y');
    expect(prefixUpperBound('\u{1F511}')).toBe('\u{1F512}');
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('\u{10FFFF}\u{10FFFF}')).toBeUndefined();
  });

  it('bounds exactly the keys that start with the prefix (property)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 6 });
    const edgy = fc.constantFrom(
      '',
      '%',
      '_',
      '\u{10FFFF}',
      '\u{FFFF}',
      '\u{D7FF}',
      '\u{E000}',
      'a',
      '\u{1F511}',
    );
    const piece = fc.oneof(text, edgy);
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 3 }), fc.array(piece, { maxLength: 4 }), (p, k) => {
        const prefix = p.join('');
        const key = k.join('');
        expect(inRange(key, prefix)).toBe(key.startsWith(prefix));
        expect(inRange(prefix + key, prefix)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('compareKeys', () => {
  it('orders by UTF-8 bytes, where JS string comparison does not', () => {
    expect('\u{1F511}' < '\u{FF5E}').toBe(true);
    expect(compareKeys('\u{1F511}', '\u{FF5E}')).toBeGreaterThan(0);
    expect(compareKeys('a', 'a')).toBe(0);
    expect(compareKeys('a', 'ab')).toBeLessThan(0);
  });
});

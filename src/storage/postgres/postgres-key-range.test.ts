import { describe, expect, it } from 'vitest';
import { keyBytes, prefixUpperBound } from './postgres-key-range.js';

describe('prefixUpperBound', () => {
  it('is the smallest byte string above every key with the prefix', () => {
    expect(prefixUpperBound(keyBytes('app/'))).toEqual(keyBytes('app0'));
    expect(prefixUpperBound(keyBytes('a\u0000'))).toEqual(keyBytes('a\u0001'));
    expect(prefixUpperBound(Buffer.from([0x61, 0xff, 0xff]))).toEqual(Buffer.from([0x62]));
    expect(prefixUpperBound(Buffer.alloc(0))).toBeUndefined();
    expect(prefixUpperBound(Buffer.from([0xff]))).toBeUndefined();
  });

  it('bounds every extension of a Unicode prefix and nothing beyond it', () => {
    const prefix = keyBytes('\u{10FFFF}');
    const upper = prefixUpperBound(prefix)!;
    for (const k of ['\u{10FFFF}', '\u{10FFFF}x', '\u{10FFFF}\u{10FFFF}']) {
      expect(Buffer.compare(keyBytes(k), upper)).toBe(-1);
    }
    expect(Buffer.compare(keyBytes('\u{FF5E}'), prefix)).toBe(-1);
  });
});

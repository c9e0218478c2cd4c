import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertSecretValue, decodeValue, encodeValue } from './value-codec.js';

describe('value codec', () => {
  it('round-trips strings and objects, keeping a JSON-looking string a string (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.dictionary(fc.string(), fc.jsonValue())), (value) => {
        expect(decodeValue(encodeValue(value as never))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
    expect(decodeValue(encodeValue('{"a":1}'))).toBe('{"a":1}');
  });

  it('refuses values over the limit with the exact numbers', () => {
    const over = 'x'.repeat(1024 * 1024 + 1);
    expect(() => encodeValue(over)).toThrow(
      "value is 1048577 bytes; the limit is 1048576; keep larger data outside Hush and store a reference (a local store's limit is fixed; on a server, limits.maxValueBytes / HUSH_MAX_VALUE_BYTES sets it)",
    );
    expect(() => encodeValue(over)).toThrow(expect.objectContaining({ code: 'HUSH_E_TOO_LARGE' }));
    expect(() => encodeValue('x'.repeat(1024 * 1024))).not.toThrow();
    expect(() => encodeValue('héllo', 5)).toThrow(/value is 6 bytes; the limit is 5/);
  });

  it('rejects non-string non-object values', () => {
    expect(() => assertSecretValue([1])).toThrow(/found an array/);
    expect(() => assertSecretValue(null)).toThrow(/found null/);
    expect(() => assertSecretValue(3)).toThrow(/found a number/);
  });

  it('reports an unknown tag as an integrity failure', () => {
    expect(() => decodeValue(Buffer.of(9, 65))).toThrow(/unknown type tag 9/);
  });
});

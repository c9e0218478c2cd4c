import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AadFields, encodeAad } from './aad.js';

// Two field sets are the same AAD when they have the same names and, per name, the same type and value.
// (-0 === 0, so they count as the same value; NaN is one value.)
function sameFields(a: AadFields, b: AadFields): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => {
    if (!Object.hasOwn(b, name)) return false;
    const x = a[name];
    const y = b[name];
    if (typeof x !== typeof y) return false;
    return x === y || (Number.isNaN(x) && Number.isNaN(y));
  });
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const value = fc.oneof(text, fc.integer(), fc.double(), fc.constantFrom('1', 1, '', 0, '#1', 's1'));
const fields = fc.dictionary(text, value, { maxKeys: 5, noNullPrototype: true });

describe('encodeAad', () => {
  it('is canonical: the order fields were written in does not matter', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const reversed = Object.fromEntries(Object.entries(f).reverse());
        expect(encodeAad(reversed).equals(encodeAad(f))).toBe(true);
      }),
    );
  });

  it('is injective on random pairs of field sets', () => {
    fc.assert(
      fc.property(fields, fields, (a, b) => {
        expect(encodeAad(a).equals(encodeAad(b))).toBe(sameFields(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('is injective when one character moves across a name/value or field boundary', () => {
    // Build b from a by shifting the split point between name and value, which a naive concat would not notice.
    fc.assert(
      fc.property(text, text, fc.integer({ min: -3, max: 3 }), (name, val, shift) => {
        // Cut on code points: splitting a surrogate pair would make text encodeAad rightly refuses.
        const joined = Array.from(name + val);
        const cut = Math.max(0, Math.min(joined.length, Array.from(name).length + shift));
        const a = { [name]: val };
        const b = { [joined.slice(0, cut).join('')]: joined.slice(cut).join('') };
        expect(encodeAad(a).equals(encodeAad(b))).toBe(sameFields(a, b));
      }),
      { numRuns: 1000 },
    );
  });

  it.each<[string, AadFields, AadFields]>([
    ['string vs number', { a: '1' }, { a: 1 }],
    ['string that looks like a number tag', { a: '#1' }, { a: 1 }],
    ['empty value vs missing field', { a: '' }, {}],
    ['empty name vs no field', { '': '' }, {}],
    ['name/value boundary shift', { ab: 'c' }, { a: 'bc' }],
    ['two fields vs one field holding both', { a: 'b', c: 'd' }, { a: 'b\u0000\u0000\u0000\u0001cd' }],
    [
      'forged length prefix',
      { a: 'x', b: 'y' },
      { a: 'x\u0000\u0000\u0000\u0001b\u0000\u0000\u0000\u0002sy' },
    ],
    ['zero vs empty string', { a: 0 }, { a: '' }],
    ['1 vs 1.0e0 string', { v: 1 }, { v: '1.0' }],
    ['different names same values', { project: 'p', path: 'x' }, { project: 'x', path: 'p' }],
  ])('distinguishes %s', (_label, a, b) => {
    expect(encodeAad(a).equals(encodeAad(b))).toBe(false);
  });

  it('refuses lone surrogates, which UTF-8 would map onto U+FFFD', () => {
    expect(() => encodeAad({ a: '\uD800' })).toThrow(RangeError);
    expect(() => encodeAad({ '\uDC00': 'x' })).toThrow(RangeError);
    expect(encodeAad({ a: '\uFFFD' }).length).toBeGreaterThan(0);
    expect(encodeAad({ a: '\uD83D\uDE00' }).equals(encodeAad({ a: '😀' }))).toBe(true);
  });
});

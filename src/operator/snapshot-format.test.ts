import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowDigest } from './row-digest.js';
import { decodeRows, encodeRow, parseHeader } from './snapshot-format.js';

describe('snapshot row framing', () => {
  it('round-trips any rows (keys of any Unicode, values of any bytes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 64 })), {
          maxLength: 20,
        }),
        (rows) => {
          const plain = Buffer.concat(rows.map(([k, v]) => encodeRow(k, v)));
          const back = decodeRows(plain, 'test');
          expect(back.map((r) => [r.key, new Uint8Array(r.value)])).toEqual(rows.map(([k, v]) => [k, v]));
        },
      ),
    );
  });

  it('a row running past the chunk end is an integrity error, not garbage', () => {
    const plain = encodeRow('data/a#1', Buffer.from('value'));
    expect(() => decodeRows(plain.subarray(0, plain.length - 1), 'snapshot F chunk 2')).toThrow(
      /snapshot F chunk 2 has a row that runs past the chunk's end/,
    );
  });

  it('a header that is not format 1 JSON is refused as corrupt', () => {
    expect(() => parseHeader(Buffer.from('{"format":2}'), 'F')).toThrow(/header of snapshot F is malformed/);
    expect(() => parseHeader(Buffer.from('not json'), 'F')).toThrow(/HUSH_E_INTEGRITY|malformed/);
  });
});

describe('RowDigest', () => {
  it('is unambiguous: moving bytes between key and value changes the checksum', () => {
    const a = new RowDigest();
    a.add('ab', Buffer.from('c'));
    const b = new RowDigest();
    b.add('a', Buffer.from('bc'));
    const [ra, rb] = [a.result(), b.result()];
    expect(ra.rows).toBe(1);
    expect(ra.sha256).not.toBe(rb.sha256);
  });

  it('depends on every row and on their order', () => {
    const digest = (rows: [string, string][]) => {
      const d = new RowDigest();
      for (const [k, v] of rows) d.add(k, Buffer.from(v));
      return d.result().sha256;
    };
    const base = digest([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(
      digest([
        ['a', '1'],
        ['b', '2'],
      ]),
    ).toBe(base);
    expect(
      digest([
        ['b', '2'],
        ['a', '1'],
      ]),
    ).not.toBe(base);
    expect(
      digest([
        ['a', '1'],
        ['b', '3'],
      ]),
    ).not.toBe(base);
    expect(digest([['a', '1']])).not.toBe(base);
  });
});

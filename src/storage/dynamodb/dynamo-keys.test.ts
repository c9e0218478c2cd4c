import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteOrder, listScope, partitionOf, ROOT_PARTITION, sortKeyOf } from './dynamo-keys.js';

describe('DynamoDB key layout', () => {
  it('puts a key in the partition of its first two segments, short keys in #root', () => {
    expect(partitionOf('meta/acme/prod/db')).toBe('meta/acme/');
    expect(partitionOf('data/acme/prod/db#3')).toBe('data/acme/');
    expect(partitionOf('sys/keyring/acme/prod')).toBe('sys/keyring/');
    expect(partitionOf('sys/seal')).toBe(ROOT_PARTITION);
    expect(partitionOf('k')).toBe(ROOT_PARTITION);
    expect(partitionOf('a/b/')).toBe('a/b/');
  });

  it('lets a prefix with two slashes fix the partition of every key it matches', () => {
    const seg = fc.stringMatching(/^[a-z#/]{0,6}$/);
    fc.assert(
      fc.property(seg, seg, (prefix, tail) => {
        const scope = listScope(prefix);
        if ('single' in scope) expect(partitionOf(prefix + tail)).toBe(scope.single);
      }),
    );
    expect(listScope('meta/')).toEqual({ spanning: true });
    expect(listScope('meta/acme')).toEqual({ spanning: true });
    expect(listScope('meta/acme/')).toEqual({ single: 'meta/acme/' });
  });

  it('refuses keys DynamoDB cannot hold, with the limit', () => {
    expect(() => sortKeyOf('')).toThrow(RangeError);
    expect(() => sortKeyOf('a\uD800')).toThrow(RangeError);
    expect(sortKeyOf('\u{1F511}').length).toBe(4);
    expect(() => sortKeyOf('é'.repeat(513))).toThrow(/1026 bytes; .* at most 1024/);
  });

  it('orders by UTF-8 bytes', () => {
    expect(byteOrder('\u{FF5E}', '\u{1F511}')).toBeLessThan(0);
    expect(byteOrder('a', 'a\u0000')).toBeLessThan(0);
  });
});

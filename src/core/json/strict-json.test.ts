import { describe, expect, it } from 'vitest';
import { parseStrictJson } from './strict-json.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('parseStrictJson', () => {
  it('parses ordinary JSON, keys with escapes, strings holding braces and quotes', () => {
    expect(parseStrictJson('{"a":{"b":[1,{"c":"}{\\"]["}]},"d":null}')).toEqual({
      a: { b: [1, { c: '}{"][' }] },
      d: null,
    });
    expect(parseStrictJson('[{"a":1},{"a":2}]')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseStrictJson('{"a":{"x":1},"b":{"x":1}}')).toEqual({ a: { x: 1 }, b: { x: 1 } });
    expect(parseStrictJson('{"constructor":{"name":"x"}}')).toEqual({ constructor: { name: 'x' } });
  });

  it('refuses duplicate keys, also when spelt with escapes, at any depth', () => {
    expect(code(() => parseStrictJson('{"a":1,"a":2}'))).toBe('HUSH_E_INVALID_INPUT');
    expect(code(() => parseStrictJson('{"a":1,"\\u0061":2}'))).toBe('HUSH_E_INVALID_INPUT');
    expect(code(() => parseStrictJson('{"v":[{"k":"x","k":"y"}]}'))).toBe('HUSH_E_INVALID_INPUT');
  });

  it('refuses nesting past the bound without recursion, even 100,000 levels deep', () => {
    expect(parseStrictJson(`${'['.repeat(64)}${']'.repeat(64)}`, 'body', 64)).toBeDefined();
    expect(code(() => parseStrictJson(`${'['.repeat(65)}${']'.repeat(65)}`, 'body', 64))).toBe(
      'HUSH_E_INVALID_INPUT',
    );
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(code(() => parseStrictJson(deep))).toBe('HUSH_E_INVALID_INPUT');
  });

  it('refuses what storage would change silently: lone surrogate escapes and numbers past a double', () => {
    for (const text of [
      '{"v":"a\\ud800b"}',
      '{"\\udc00":1}',
      '{"v":["x","\\udfff"]}',
      '{"v":1e400}',
      '[-1e999]',
    ]) {
      expect(
        code(() => parseStrictJson(text)),
        text,
      ).toBe('HUSH_E_INVALID_INPUT');
    }
    expect(parseStrictJson('{"v":"\\ud83d\\ude00","n":1.5e300}')).toEqual({ v: '\u{1F600}', n: 1.5e300 });
  });

  it('refuses prototype keys and invalid JSON with coded errors', () => {
    expect(code(() => parseStrictJson('{"__proto__":{"x":1}}'))).toBe('HUSH_E_INVALID_INPUT');
    expect(code(() => parseStrictJson('{"constructor":{"prototype":{}}}'))).toBe('HUSH_E_INVALID_INPUT');
    expect(code(() => parseStrictJson('{"a":'))).toBe('HUSH_E_USAGE');
  });
});

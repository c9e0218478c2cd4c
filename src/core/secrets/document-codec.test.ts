import { describe, expect, it } from 'vitest';
import { formatDocument, isKeyWritable, parseDocument } from './document-codec.js';

describe('document codec', () => {
  it('parses JSON and YAML mappings, with per-key errors for bad values', () => {
    const json = parseDocument('json', '{"A":"1","port":5432,"creds":{"u":"x"},"bad":[1],"n":null}');
    expect(json.entries).toEqual([
      { key: 'A', value: '1' },
      { key: 'port', value: '5432' },
      { key: 'creds', value: { u: 'x' } },
    ]);
    expect(json.errors.map((e) => e.key)).toEqual(['bad', 'n']);
    const yaml = parseDocument('yaml', 'A: one\nB:\n  user: u\n');
    expect(yaml.entries).toEqual([
      { key: 'A', value: 'one' },
      { key: 'B', value: { user: 'u' } },
    ]);
  });

  it('reports unparsable documents without quoting them', () => {
    const r = parseDocument('json', '{"A": "hunter2",');
    expect(r.entries).toEqual([]);
    expect(r.errors[0]?.message).toContain('does not parse');
    expect(r.errors[0]?.message).not.toContain('hunter2');
    expect(parseDocument('yaml', '- a\n- b\n').errors[0]?.message).toContain('mapping');
  });

  it('round-trips each format', () => {
    const entries = [
      { key: 'A', value: 'x y' },
      { key: 'B', value: { n: 1 } },
    ];
    for (const f of ['json', 'yaml'] as const)
      expect(parseDocument(f, formatDocument(f, entries)).entries).toEqual(entries);
    expect(parseDocument('dotenv', formatDocument('dotenv', entries)).entries.map((e) => e.value)).toEqual([
      'x y',
      '{"n":1}',
    ]);
    expect(isKeyWritable('dotenv', 'db/x')).toBe(false);
    expect(isKeyWritable('json', 'db/x')).toBe(true);
  });

  it('refuses a JSON document repeating a key (top level or inside a value) instead of keeping the last', () => {
    for (const text of ['{"K":"first","K":"second"}', '{"K":{"u":"a","u":"b"}}', '{"K":"a","\\u004b":"b"}']) {
      const parsed = parseDocument('json', text);
      expect(parsed.entries, text).toEqual([]);
      expect(parsed.errors.map((e) => e.message).join(), text).toMatch(/repeats a key/);
      expect(parsed.errors.map((e) => e.message).join(), text).not.toMatch(/first|second/);
    }
    // Nor what would be stored changed: half a surrogate pair, a number past a double.
    for (const text of ['{"K":"a\\ud800"}', '{"K":{"n":1e400}}']) {
      expect(parseDocument('json', text).entries, text).toEqual([]);
    }
  });

  it('refuses to format a value nested deeper than stored values may be, with a coded error, not a stack overflow', () => {
    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    for (const format of ['json', 'yaml', 'dotenv'] as const) {
      expect(() => formatDocument(format, [{ key: 'K', value: deep as never }])).toThrow(
        expect.objectContaining({ code: 'HUSH_E_INVALID_INPUT' }),
      );
    }
  });
});

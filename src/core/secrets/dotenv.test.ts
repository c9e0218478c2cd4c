import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDotenv, formatShellEnv, parseDotenv } from './dotenv.js';

describe('parseDotenv', () => {
  it('handles comments, export, quotes, escapes and inline comments', () => {
    const text = [
      '# a comment',
      '',
      'export A=1',
      'B = plain value # trailing comment',
      'C="line1\\nline2 \\"q\\" \\$HOME"',
      "D='literal \\n $x'",
      'E=',
      'URL=postgres://u:p@h/db?x=1#frag',
    ].join('\n');
    const { entries, errors } = parseDotenv(text);
    expect(errors).toEqual([]);
    expect(entries).toEqual([
      { key: 'A', value: '1', line: 3 },
      { key: 'B', value: 'plain value', line: 4 },
      { key: 'C', value: 'line1\nline2 "q" $HOME', line: 5 },
      { key: 'D', value: 'literal \\n $x', line: 6 },
      { key: 'E', value: '', line: 7 },
      { key: 'URL', value: 'postgres://u:p@h/db?x=1#frag', line: 8 },
    ]);
  });

  it('reads multiline quoted values and keeps counting lines', () => {
    const { entries } = parseDotenv('KEY="-----BEGIN\nabc\n-----END"\nNEXT=1\r\n');
    expect(entries).toEqual([
      { key: 'KEY', value: '-----BEGIN\nabc\n-----END', line: 1 },
      { key: 'NEXT', value: '1', line: 4 },
    ]);
  });

  it('reports bad lines with numbers, keeps the good ones, and never echoes the line', () => {
    const { entries, errors } = parseDotenv(
      'GOOD=1\nnot a line hunter2\n1BAD=x\nT="x" junk\nLAST=2\nQ="open\nnever',
    );
    expect(entries.map((e) => e.key)).toEqual(['GOOD', 'LAST']);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 6, 7]);
    expect(errors[0]?.message).toMatch(/^expected KEY=value/); // the line is a field, never repeated in the text
    expect(errors[3]?.message).toContain('never closed');
    expect(errors[2]?.message).toContain('text after its closing quote');
    expect(errors.map((e) => e.message).join()).not.toContain('hunter2');
  });

  // Values without NUL or carriage return (the reader turns CRLF into LF, as editors on Windows expect).
  const value = fc.string({ unit: 'grapheme' }).filter((v) => !v.includes('\0') && !v.includes('\r'));
  const pairs = fc.array(fc.tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), value), { maxLength: 8 });

  it('shell env: format then parse round-trips any value (property)', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const entries = list.map(([key, value]) => ({ key, value }));
        const parsed = parseDotenv(formatShellEnv(entries));
        expect(parsed.errors).toEqual([]);
        expect(parsed.entries.map(({ key, value }) => ({ key, value }))).toEqual(entries);
      }),
    );
  });

  it('dotenv: format then parse round-trips every value it agrees to write (property)', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const entries = list.map(([key, value]) => ({ key, value }));
        let text: string;
        try {
          text = formatDotenv(entries);
        } catch (err) {
          // Only a value with no dotenv spelling is refused.
          expect((err as Error).message).toMatch(/cannot be written in the dotenv format/);
          return;
        }
        const parsed = parseDotenv(text);
        expect(parsed.errors).toEqual([]);
        expect(parsed.entries.map(({ key, value }) => ({ key, value }))).toEqual(entries);
      }),
    );
  });
});

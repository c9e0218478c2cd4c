import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../engine/scan-text.js';
import { assignmentFollows, assignmentPattern } from './assignment.js';
import { genericRules } from './index.js';

const at = (text: string, word: string) =>
  assignmentFollows(text, text.toLowerCase().indexOf(word) + word.length);

describe('assignmentFollows (the generic rules’ keyword pre-check)', () => {
  it('accepts every separator the pattern accepts and rejects prose', () => {
    for (const t of [
      'token=x',
      'api_token = x',
      'TOKEN: x',
      '"token": "x"',
      "define('AUTH_TOKEN', 'x')",
      'val token: String = "x"',
      "cfg['token'] = x",
      'token_value\t:= x',
    ])
      expect(at(t, 'token'), t).toBe(true);
    for (const t of ['alpha token cache', 'the token is', 'token', 'tokens.length', 'token(x)'])
      expect(at(t, 'token'), t).toBe(false);
  });

  it('never rejects an occurrence the pattern would match (property)', () => {
    const pattern = new RegExp(assignmentPattern('token', 4).source, 'gi');
    const piece = fc.constantFrom(
      'token',
      'TOKEN',
      'api_',
      '_x',
      '"',
      "'",
      ' ',
      '  ',
      '=',
      ':',
      ',',
      ']',
      '[',
      'abc1',
      '(',
      '\n',
      '=>',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = `${parts.join('')}Zq7pLm3Nx9rT2vQQ`;
        for (const m of text.matchAll(pattern)) {
          const name = m.groups?.['name'] ?? '';
          const start = (m.index ?? 0) + m[0].indexOf(name);
          const ends = [...name.matchAll(/token/gi)].map((k) => start + (k.index ?? 0) + 5);
          expect(
            ends.some((e) => assignmentFollows(text, e)),
            text,
          ).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the generic rules’ findings through the engine (regions vs whole text agree)', () => {
    const text = 'alpha token cache\nAPI_TOKEN = "Zq7pLm3Nx9rT2vQQw8"\nthe token is here\n'.repeat(300);
    const a = scanText(text, { path: 'a.env', rules: genericRules });
    const b = scanText(text, { path: 'a.env', rules: genericRules, wholeText: true });
    expect(a.length).toBe(300);
    expect(a).toEqual(b);
  });
});

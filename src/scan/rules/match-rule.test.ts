import { describe, expect, it } from 'vitest';
import { matchRule } from './match-rule.js';
import type { Rule } from './rule.js';

const rule = (pattern: RegExp, extra: Partial<Rule> = {}): Rule => ({
  id: 'test-rule',
  title: 'test',
  severity: 'low',
  keywords: ['token'],
  pattern,
  examples: [],
  falsePositives: [],
  ...extra,
});

describe('matchRule', () => {
  it('reports the exact offset of the secret group even when its text occurs earlier in the match', () => {
    const text = 'x\nabc_token = abc';
    const [hit] = matchRule(rule(/(?<name>abc_token) = (?<secret>abc)/), text);
    expect(hit?.secret).toBe('abc');
    expect(hit?.index).toBe(text.lastIndexOf('abc'));
  });

  it('finds every occurrence, applies the entropy gate and the validate hook with the full line', () => {
    const text = 'token=aaaaaaaa\ntoken=a1B2c3D4\ntoken=Z9y8X7w6';
    const seen: string[] = [];
    const hits = matchRule(
      rule(/token=(?<secret>\w{8})/, {
        minEntropy: 2,
        validate: (ctx) => {
          seen.push(ctx.line);
          return !ctx.secret.startsWith('Z');
        },
      }),
      text,
      'f.env',
    );
    expect(hits.map((h) => h.secret)).toEqual(['a1B2c3D4']);
    expect(seen).toEqual(['token=a1B2c3D4', 'token=Z9y8X7w6']);
  });

  it('falls back to group 1, then the whole match', () => {
    expect(matchRule(rule(/token:(\d+)/), 'token:42')[0]?.secret).toBe('42');
    expect(matchRule(rule(/token:\d+/), 'token:42')[0]).toMatchObject({ secret: 'token:42', index: 0 });
  });

  it('an anchored rule finds exactly what the unanchored pattern finds', () => {
    const pattern = /(?<![a-z0-9.])(?<secret>[a-z0-9]{2}\.[a-z0-9]{3})(?![a-z0-9.])/;
    // A match at offset 0, back-to-back matches, a dot too early to anchor one, a failed try just before a match
    // (`x.ab.cd1`), a match at the very end.
    const text = 'ab.cd1 ef.gh2\n.ab.cd3 x.ab.cd1 a.b zz.yy9.qq ab.cdefg ij.kl4';
    const plain = matchRule(rule(pattern), text);
    const anchored = matchRule(rule(pattern, { anchor: { literal: '.', offset: 2 } }), text);
    expect(plain.map((h) => h.secret)).toEqual(['ab.cd1', 'ef.gh2', 'ij.kl4']);
    expect(anchored).toEqual(plain);
  });
});

describe('GitHub token helpers (kept for the engine tests)', () => {
  it('builds tokens that validate and rejects altered ones', async () => {
    const { githubChecksumOk, githubTokenFor } = await import('./index.js');
    const token = githubTokenFor('R8fQz2LpX7vKc3NwT9mYb5HsD1gJa4');
    expect(token).toHaveLength(40);
    expect(githubChecksumOk(token)).toBe(true);
    expect(githubChecksumOk(`${token.slice(0, 39)}${token.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(githubChecksumOk('ghp_short')).toBe(false);
  });
});

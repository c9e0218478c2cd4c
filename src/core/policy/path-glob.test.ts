import { describe, expect, it } from 'vitest';
import { isHushError } from '../errors/hush-error.js';
import { compileGlob, globProblem, splitPath } from './path-glob.js';

const m = (pattern: string, path: string) => compileGlob(pattern).matches(path);

describe('compileGlob matching', () => {
  it('matches literals exactly and case-sensitively', () => {
    expect(m('payments/prod/db', 'payments/prod/db')).toBe(true);
    expect(m('payments/prod/db', 'payments/prod/DB')).toBe(false);
    expect(m('payments/prod/db', 'payments/prod')).toBe(false);
    expect(m('payments/prod/db', 'payments/prod/db/x')).toBe(false);
  });

  it('`*` matches within one segment only', () => {
    expect(m('payments/*/db', 'payments/prod/db')).toBe(true);
    expect(m('payments/*/db', 'payments/a/b/db')).toBe(false);
    expect(m('payments/*', 'payments')).toBe(false);
    expect(m('payments/db-*', 'payments/db-main')).toBe(true);
    expect(m('payments/db-*', 'payments/db-')).toBe(true);
    expect(m('payments/db-*', 'payments/cache')).toBe(false);
    expect(m('a/*-*-x', 'a/1-2-x')).toBe(true);
    expect(m('a/*-*-x', 'a/1-x')).toBe(false);
    expect(m('a/ab*ba', 'a/aba')).toBe(false);
    expect(m('a/ab*ba', 'a/abba')).toBe(true);
    expect(m('a/*mid*', 'a/xxmidyy')).toBe(true);
  });

  it('`+` matches exactly one segment', () => {
    expect(m('payments/+/db', 'payments/prod/db')).toBe(true);
    expect(m('payments/+/db', 'payments/db')).toBe(false);
    expect(m('payments/+/db', 'payments/a/b/db')).toBe(false);
    expect(m('a/x+y', 'a/x+y')).toBe(true);
    expect(m('a/x+y', 'a/xzy')).toBe(false);
  });

  it('`**` matches zero or more whole segments', () => {
    expect(m('payments/**', 'payments')).toBe(true);
    expect(m('payments/**', 'payments/prod')).toBe(true);
    expect(m('payments/**', 'payments/prod/db/password')).toBe(true);
    expect(m('payments/**', 'paymentsx/prod')).toBe(false);
    expect(m('a/**/z', 'a/z')).toBe(true);
    expect(m('a/**/z', 'a/b/c/z')).toBe(true);
    expect(m('a/**/z', 'a/b/c/y')).toBe(false);
    expect(m('**/password', 'payments/prod/db/password')).toBe(true);
    expect(m('**/password', 'password')).toBe(true);
    expect(m('**', 'anything/at/all')).toBe(true);
    expect(m('a/**/**/z', 'a/z')).toBe(true);
    expect(m('**/db/**', 'x/db/y/z')).toBe(true);
    expect(m('**/db/**', 'x/dbz/y')).toBe(false);
  });

  it('treats regex metacharacters in policy text literally (no injection)', () => {
    expect(m('a/(.+)', 'a/(.+)')).toBe(true);
    expect(m('a/(.+)', 'a/anything')).toBe(false);
    expect(m('a/x.y', 'a/xzy')).toBe(false);
    expect(m('a/[ab]', 'a/a')).toBe(false);
    expect(m('a/^$|x', 'a/^$|x')).toBe(true);
    expect(m('a/\\d', 'a/\\d')).toBe(true);
  });

  it('stays fast on adversarial patterns', () => {
    const pattern = `${Array.from({ length: 40 }, () => '**/a').join('/')}/b`;
    const path = Array.from({ length: 60 }, () => 'a').join('/');
    const t0 = performance.now();
    expect(m(pattern, path)).toBe(false);
    const seg = `a/${'*a'.repeat(100)}b`;
    expect(m(seg, `a/${'a'.repeat(300)}`)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('canMatchBeneath tells whether some path under a folder could match', () => {
    expect(compileGlob('payments/prod/db').canMatchBeneath('payments')).toBe(true);
    expect(compileGlob('payments/prod/db').canMatchBeneath('payments/prod/db')).toBe(false);
    expect(compileGlob('payments/*/db').canMatchBeneath('payments/staging')).toBe(true);
    expect(compileGlob('payments/*/db').canMatchBeneath('billing')).toBe(false);
    expect(compileGlob('payments/**').canMatchBeneath('payments/prod/db')).toBe(true);
    expect(compileGlob('**/password').canMatchBeneath('any/where')).toBe(true);
    expect(compileGlob('a').canMatchBeneath('')).toBe(true);
  });

  it('coversSubtree tells whether every path under a folder matches', () => {
    expect(compileGlob('payments/**').coversSubtree('payments')).toBe(true);
    expect(compileGlob('payments/**').coversSubtree('payments/prod')).toBe(true);
    expect(compileGlob('**').coversSubtree('x')).toBe(true);
    expect(compileGlob('a/*/**').coversSubtree('a')).toBe(true);
    expect(compileGlob('a/*').coversSubtree('a')).toBe(false);
    expect(compileGlob('a/*/x').coversSubtree('a')).toBe(false);
    expect(compileGlob('a/**/x').coversSubtree('a')).toBe(false);
    expect(compileGlob('payments/**').coversSubtree('billing')).toBe(false);
  });
});

describe('glob validation', () => {
  it.each([
    ['', /empty/],
    ['/a', /must not start or end/],
    ['a/', /must not start or end/],
    ['a//b', /empty segment/],
    ['a/../b', /"\.\." segment/],
    ['a/b**', /must be a whole segment/],
    ['a/\u0001', /control character/],
    ['a'.repeat(513), /513 characters; the limit is 512/],
  ])('rejects %j', (pattern, msg) => {
    expect(globProblem(pattern)).toMatch(msg);
    try {
      compileGlob(pattern);
      expect.unreachable();
    } catch (e) {
      expect(isHushError(e, 'HUSH_E_INVALID_INPUT')).toBe(true);
    }
  });

  it('splitPath strips outer slashes and rejects empty segments', () => {
    expect(splitPath('/a/b/')).toEqual(['a', 'b']);
    expect(splitPath('')).toEqual([]);
    expect(() => splitPath('a//b')).toThrow(/empty segment/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHushError } from '../errors/hush-error.js';
import { formatAddress, formatPrefix, isUnderPrefix, parseAddress, parsePrefix } from './address.js';

const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/).filter((s) => s !== '.' && s !== '..');

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isHushError(err, 'HUSH_E_INVALID_ADDRESS')) return err.message;
    throw err;
  }
  throw new Error('expected HUSH_E_INVALID_ADDRESS');
}

describe('parseAddress', () => {
  it('splits project, environment and path', () => {
    expect(parseAddress('payments/prod/db/password')).toEqual({
      project: 'payments',
      environment: 'prod',
      path: 'db/password',
    });
  });

  it('remembers valid parses as frozen shared objects, and re-checks invalid text every time', () => {
    const first = parseAddress('memo/dev/db/pass');
    expect(parseAddress('memo/dev/db/pass')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toEqual({ project: 'memo', environment: 'dev', path: 'db/pass' });
    for (let i = 0; i < 2; i += 1)
      expect(errorOf(() => parseAddress('memo/dev/db pass'))).toContain('segment 3');
    for (let i = 0; i < 1100; i += 1) parseAddress(`memo/dev/k${i}`); // more than it keeps: the oldest go
    expect(parseAddress('memo/dev/db/pass')).not.toBe(first);
    expect(parseAddress('memo/dev/db/pass')).toEqual(first);
  });

  it('says which segment is wrong and why', () => {
    expect(errorOf(() => parseAddress('a/b'))).toContain('at least 3 segments), found 2');
    expect(errorOf(() => parseAddress('a//c'))).toContain('segment 2 is empty');
    expect(errorOf(() => parseAddress('a/b/c/'))).toContain('segment 4 is empty');
    expect(errorOf(() => parseAddress('a/../c'))).toContain('segment 2 is ".."');
    expect(errorOf(() => parseAddress('a/b/db pass'))).toContain(
      'segment 3 ("db pass") has " " at character 3',
    );
    expect(errorOf(() => parseAddress(`a/b/${'x'.repeat(129)}`))).toContain('segment 3 is 129 characters');
    expect(errorOf(() => parseAddress(`a/b/${'c/'.repeat(40)}d`))).toContain('the limit is 32');
    expect(errorOf(() => parseAddress(`a/b/${`${'x'.repeat(120)}/`.repeat(5)}y`))).toContain(
      'the limit is 512',
    );
    expect(errorOf(() => parseAddress(''))).toContain('empty');
  });

  it('round-trips every valid address (property)', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 3, maxLength: 10 }), (segs) => {
        const text = segs.join('/');
        expect(formatAddress(parseAddress(text))).toBe(text);
      }),
    );
  });

  it('either parses within the rules or throws INVALID_ADDRESS, never anything else (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          const a = parseAddress(text);
          const segs = formatAddress(a).split('/');
          expect(segs.length).toBeGreaterThanOrEqual(3);
          for (const s of segs) expect(s).toMatch(/^[A-Za-z0-9._-]+$/);
        } catch (err) {
          expect(isHushError(err, 'HUSH_E_INVALID_ADDRESS')).toBe(true);
        }
      }),
    );
  });
});

describe('parsePrefix', () => {
  it('accepts 1, 2 or more segments and a trailing slash', () => {
    expect(parsePrefix('p')).toEqual({ project: 'p' });
    expect(parsePrefix('p/e/')).toEqual({ project: 'p', environment: 'e' });
    expect(parsePrefix('p/e/d/x')).toEqual({ project: 'p', environment: 'e', path: 'd/x' });
    expect(errorOf(() => parsePrefix('p//'))).toContain('segment 2 is empty');
  });

  it('round-trips (property)', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), (segs) => {
        expect(formatPrefix(parsePrefix(segs.join('/')))).toBe(segs.join('/'));
      }),
    );
  });

  it('matches whole segments only', () => {
    const a = parseAddress('p/e/db/x');
    expect(isUnderPrefix(a, parsePrefix('p/e/db'))).toBe(true);
    expect(isUnderPrefix(a, parsePrefix('p/e/d'))).toBe(false);
    expect(isUnderPrefix(a, parsePrefix('p/e/db/x'))).toBe(true);
  });
});

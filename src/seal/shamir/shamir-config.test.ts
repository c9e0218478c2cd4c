import { describe, expect, it } from 'vitest';
import { expectHushError } from '../../../test/support/expect-hush-error.js';
import { parseShamirConfig } from './shamir-config.js';
import { ShamirSeal } from './shamir-seal.js';

describe('shamir config', () => {
  it('defaults to 5 shares, threshold 3, and freezes the result', () => {
    const c = parseShamirConfig(undefined);
    expect(c).toEqual({ shares: 5, threshold: 3 });
    expect(Object.isFrozen(c)).toBe(true);
    expect(parseShamirConfig({ shares: 255, threshold: 255 })).toEqual({ shares: 255, threshold: 255 });
    expect(parseShamirConfig({ shares: 2, threshold: 2 })).toEqual({ shares: 2, threshold: 2 });
  });

  it.each<[unknown, string]>([
    [{ threshold: 1 }, 'threshold: threshold must be at least 2 (got 1)'],
    [{ shares: 256 }, 'shares: shares must be at most 255 (got 256)'],
    [{ shares: 4, threshold: 5 }, 'threshold: 5 is more than the 4 shares; choose threshold <= shares'],
    [{ shares: 2.5 }, 'shares: shares must be a whole number (got 2.5)'],
    [{ shares: '5' }, 'shares: shares must be a whole number (got "5")'],
    [{ share: 5 }, 'unknown option(s) share'],
  ])('rejects %j with a clear HUSH_E_CONFIG', (input, message) => {
    const err = expectHushError(() => parseShamirConfig(input), 'HUSH_E_CONFIG');
    expect(err.message).toContain('invalid shamir seal options: ');
    expect(err.message).toContain(message);
  });

  it('is validated when the seal is constructed', () => {
    expectHushError(() => new ShamirSeal({ shares: 3, threshold: 4 }), 'HUSH_E_CONFIG');
    expect(new ShamirSeal({ shares: 7 }).config).toEqual({ shares: 7, threshold: 3 });
  });
});

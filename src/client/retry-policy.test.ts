import { describe, expect, it } from 'vitest';
import { createResponseCache } from './response-cache.js';
import { backoffDelay, checkedRetry, isIdempotent } from './retry-policy.js';

describe('client retry policy', () => {
  it('backs off exponentially with jitter in [full/2, full], capped', () => {
    const opts = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    for (let retry = 0; retry < 8; retry++) {
      const full = Math.min(1000, 100 * 2 ** retry);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(retry, opts);
        expect(d).toBeGreaterThanOrEqual(full / 2);
        expect(d).toBeLessThanOrEqual(full);
      }
    }
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(3, opts)));
    expect(spread.size).toBeGreaterThan(1);
  });

  it('retries only idempotent methods and validates options', () => {
    expect(['GET', 'PUT', 'DELETE', 'HEAD'].every(isIdempotent)).toBe(true);
    expect(['POST', 'PATCH'].some(isIdempotent)).toBe(false);
    expect(() => checkedRetry({ attempts: 0 })).toThrow(RangeError);
    expect(checkedRetry(undefined)).toMatchObject({ attempts: 4, baseDelayMs: 100 });
  });
});

describe('client response cache', () => {
  it('expires entries after ttlMs and hands out copies', () => {
    let now = 1000;
    const cache = createResponseCache({ ttlMs: 50 }, () => now);
    cache.set('k', { value: 'a' });
    (cache.get('k') as { value: string }).value = 'changed';
    expect(cache.get('k')).toEqual({ value: 'a' });
    now += 49;
    expect(cache.get('k')).toEqual({ value: 'a' });
    now += 1;
    expect(cache.get('k')).toBeUndefined();
    cache.set('k', 1);
    cache.clear();
    expect(cache.get('k')).toBeUndefined();
  });
});

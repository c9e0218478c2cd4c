import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLoginLimiter, loginKey } from './login-limiter.js';

const K = loginKey('approle:ci', '10.0.0.1');

describe('login limiter', () => {
  it('locks after N failures within the window, then unlocks', () => {
    const l = createLoginLimiter({ maxFailures: 3, windowMs: 60_000, baseLockoutMs: 1_000 });
    expect(l.check(K, 0)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(l.recordFailure(K, 0).allowed).toBe(true);
    expect(l.recordFailure(K, 10).allowed).toBe(true);
    expect(l.recordFailure(K, 20)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    expect(l.check(K, 500)).toEqual({ allowed: false, retryAfterMs: 520 });
    expect(l.check(K, 1_020)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('forgets failures older than the window', () => {
    const l = createLoginLimiter({ maxFailures: 3, windowMs: 1_000 });
    l.recordFailure(K, 0);
    l.recordFailure(K, 100);
    expect(l.recordFailure(K, 1_050).allowed).toBe(true); // the failure at 0 fell out of the window
    expect(l.recordFailure(K, 1_060).allowed).toBe(false);
  });

  it('doubles the lockout per further lockout, up to the maximum', () => {
    const l = createLoginLimiter({ maxFailures: 2, baseLockoutMs: 1_000, maxLockoutMs: 5_000 });
    let t = 0;
    const lockouts: number[] = [];
    for (let i = 0; i < 5; i++) {
      l.recordFailure(K, t);
      const d = l.recordFailure(K, t);
      lockouts.push(d.retryAfterMs);
      t += d.retryAfterMs;
    }
    expect(lockouts).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('does not extend a lockout on refused attempts, and clears on success', () => {
    const l = createLoginLimiter({ maxFailures: 1, baseLockoutMs: 1_000 });
    l.recordFailure(K, 0);
    expect(l.recordFailure(K, 500)).toEqual({ allowed: false, retryAfterMs: 500 });
    l.recordSuccess(K);
    expect(l.check(K, 600).allowed).toBe(true);
    expect(l.recordFailure(K, 600).retryAfterMs).toBe(1_000); // level reset to the base lockout
  });

  it('forgets the lockout level after a quiet period', () => {
    const l = createLoginLimiter({ maxFailures: 1, baseLockoutMs: 1_000, resetAfterMs: 10_000 });
    l.recordFailure(K, 0);
    expect(l.recordFailure(K, 1_000).retryAfterMs).toBe(2_000);
    expect(l.recordFailure(K, 20_000).retryAfterMs).toBe(1_000);
  });

  it('keys by identity and source separately', () => {
    const l = createLoginLimiter({ maxFailures: 1 });
    l.recordFailure(loginKey('u', 'a'), 0);
    expect(l.check(loginKey('u', 'a'), 1).allowed).toBe(false);
    expect(l.check(loginKey('u', 'b'), 1).allowed).toBe(true);
    expect(l.check(loginKey('v', 'a'), 1).allowed).toBe(true);
    expect(loginKey('a', 'b:c')).not.toBe(loginKey('a:b', 'c'));
  });

  it('bounds memory, evicting unlocked keys before locked ones', () => {
    const l = createLoginLimiter({ maxFailures: 1, baseLockoutMs: 60_000, maxKeys: 100 });
    l.recordFailure('locked', 0);
    const l2 = createLoginLimiter({ maxFailures: 2, maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) {
      l.recordFailure(`k${i}`, 1);
      l2.recordFailure(`k${i}`, 1);
    }
    expect(l.size()).toBeLessThanOrEqual(100);
    expect(l2.size()).toBe(100);
    // Everything else is locked too here (maxFailures 1), so the oldest goes: bounded wins over perfect memory.
    const l3 = createLoginLimiter({ maxFailures: 3, baseLockoutMs: 60_000, maxKeys: 10 });
    for (let i = 0; i < 3; i++) l3.recordFailure('attacked', 0);
    for (let i = 0; i < 500; i++) l3.recordFailure(`flood${i}`, 1);
    expect(l3.check('attacked', 2).allowed).toBe(false);
    expect(l3.size()).toBe(10);
  });

  it('never allows more than maxFailures failed attempts per lockout cycle (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        const l = createLoginLimiter({ maxFailures: 3, windowMs: 100_000, baseLockoutMs: 10_000 });
        let t = 0;
        let attemptsSinceUnlock = 0;
        for (const g of gaps) {
          t += g;
          if (!l.check(K, t).allowed) continue;
          attemptsSinceUnlock++;
          const d = l.recordFailure(K, t);
          if (!d.allowed) attemptsSinceUnlock = 0;
          if (attemptsSinceUnlock >= 3) return false;
        }
        return true;
      }),
    );
  });

  it('rejects nonsense options', () => {
    expect(() => createLoginLimiter({ maxFailures: 0 })).toThrow(
      /maxFailures must be a positive number, got 0/,
    );
  });
});

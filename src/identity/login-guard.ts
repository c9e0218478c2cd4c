import { HushError, isHushError } from '../core/errors/hush-error.js';
import { createLoginLimiter, type LoginLimiterOptions, loginKey } from '../core/ratelimit/login-limiter.js';

/** Runs login attempts through a lockout-with-backoff limiter keyed by (what was attempted, source address). */
export interface LoginGuard {
  attempt<T>(subject: string, sourceIp: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * Build a login guard. A locked key gets HUSH_E_RATE_LIMITED (429) with `details.retryAfterSeconds` (routes turn it
 * into a Retry-After header) before any credential is checked; an HUSH_E_UNAUTHENTICATED failure counts towards
 * the lockout; a success clears the key.
 *
 * @example
 * const guard = createLoginGuard(clock, { maxFailures: 5 });
 * await guard.attempt(`approle:${roleId}`, ip, () => verify());
 */
export function createLoginGuard(clock: () => Date, options: LoginLimiterOptions = {}): LoginGuard {
  const limiter = createLoginLimiter(options);
  const limited = (ms: number) => {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return new HushError(
      'HUSH_E_RATE_LIMITED',
      `too many failed logins for this role from this address; retry in ${seconds} s`,
      { retryAfterSeconds: seconds },
    );
  };
  return {
    async attempt(subject, sourceIp, fn) {
      const key = loginKey(subject, sourceIp);
      const d = limiter.check(key, clock().getTime());
      if (!d.allowed) throw limited(d.retryAfterMs);
      try {
        const result = await fn();
        limiter.recordSuccess(key);
        return result;
      } catch (err) {
        if (isHushError(err, 'HUSH_E_UNAUTHENTICATED')) limiter.recordFailure(key, clock().getTime());
        throw err;
      }
    },
  };
}

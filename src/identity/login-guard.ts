import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import {
  addressBucket,
  createLoginLimiter,
  type LoginLimiterOptions,
  loginKey,
} from '../core/ratelimit/login-limiter.js';

/** Runs login attempts through lockout-with-backoff limiters keyed by (what was attempted, address) and address. */
export interface LoginGuard {
  attempt<T>(subject: string, sourceIp: string, fn: () => Promise<T>): Promise<T>;
}

/** Login limits: the per-(role, address) ones, and the budget of one address across every role. */
export interface LoginGuardOptions extends LoginLimiterOptions {
  /**
   * Failed logins one source address (an IPv6 /64) may make across all roles within `windowMs` before it is locked
   * out (default 20). Higher than `maxFailures` so that a host whose clients use several roles is not caught by one
   * role's mistakes; low enough that guessing role ids from one address stops quickly.
   */
  readonly addressMaxFailures?: number;
}

/**
 * Build a login guard. A locked (role, address) pair or a locked address gets HUSH_E_RATE_LIMITED (429) with
 * `details.retryAfterSeconds` (routes turn it into a Retry-After header) before any credential is checked; an
 * HUSH_E_UNAUTHENTICATED failure counts towards both. A success clears the pair only: the address budget is not
 * refilled by a success (one valid credential must not buy unlimited guesses at other roles); its failures age out
 * of the window. Other addresses are never affected.
 *
 * @example
 * const guard = createLoginGuard(clock, { maxFailures: 5, addressMaxFailures: 20 });
 * await guard.attempt(`approle:${roleId}`, ip, () => verify());
 */
export function createLoginGuard(clock: () => Date, options: LoginGuardOptions = {}): LoginGuard {
  const { addressMaxFailures = 20, ...pairOptions } = options;
  const pairs = createLoginLimiter(pairOptions);
  const addresses = createLoginLimiter({ ...pairOptions, maxFailures: addressMaxFailures });
  const limited = (ms: number, what: string) => {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return hushError(
      'TOO_MANY_FAILED_LOGINS',
      { what, seconds },
      {
        retryAfterSeconds: seconds,
      },
    );
  };
  return {
    async attempt(subject, sourceIp, fn) {
      const key = loginKey(subject, sourceIp);
      const bucket = addressBucket(sourceIp);
      const now = clock().getTime();
      const byAddress = addresses.check(bucket, now);
      if (!byAddress.allowed) throw limited(byAddress.retryAfterMs, 'from this address');
      const d = pairs.check(key, now);
      if (!d.allowed) throw limited(d.retryAfterMs, 'for this role from this address');
      try {
        const result = await fn();
        pairs.recordSuccess(key);
        return result;
      } catch (err) {
        if (isHushError(err, 'HUSH_E_UNAUTHENTICATED')) {
          const t = clock().getTime();
          pairs.recordFailure(key, t);
          addresses.recordFailure(bucket, t);
        }
        throw err;
      }
    },
  };
}

import { randomInt } from 'node:crypto';

/** How the client retries idempotent requests on 503 and network errors. */
export interface RetryOptions {
  /** Total tries including the first (default 4; 1 disables retries). */
  readonly attempts: number;
  /** Delay before the first retry; doubles each time (default 100 ms). */
  readonly baseDelayMs: number;
  /** Cap on one delay (default 5000 ms). */
  readonly maxDelayMs?: number;
}

/** Defaults: 4 tries, 100 ms doubling, capped at 5 s. */
export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 100, maxDelayMs: 5000 };

// Retrying these cannot apply a change twice in a way the caller did not ask for (RFC 9110 idempotent methods).
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** True when a failed request with `method` may be sent again. */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/**
 * Delay before retry number `retry` (0-based): exponential backoff with "equal jitter" (half fixed, half random), so
 * many clients retrying a restarting server spread out instead of arriving together.
 */
export function backoffDelay(retry: number, options: RetryOptions): number {
  const cap = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs ?? 5000;
  const full = Math.min(cap, options.baseDelayMs * 2 ** retry);
  const half = Math.floor(full / 2);
  return half + (full - half > 0 ? randomInt(0, full - half + 1) : 0);
}

/** Validate retry options given by a caller (programmer error -> RangeError). */
export function checkedRetry(options: Partial<RetryOptions> | undefined): RetryOptions {
  const merged = { ...DEFAULT_RETRY, ...options };
  if (!Number.isInteger(merged.attempts) || merged.attempts < 1) {
    throw new RangeError(`retries.attempts must be an integer >= 1, got ${merged.attempts}`);
  }
  if (!(merged.baseDelayMs >= 0))
    throw new RangeError(`retries.baseDelayMs must be >= 0, got ${merged.baseDelayMs}`);
  return merged;
}

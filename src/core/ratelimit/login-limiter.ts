/**
 * Login rate limiting as a pure state machine keyed by (identity or role id, source address). After `maxFailures`
 * failures within `windowMs` the key is locked for a backoff that doubles with each further lockout, up to
 * `maxLockoutMs`. A success clears the key. Memory is bounded by `maxKeys` (least recently used keys are evicted,
 * preferring keys that are not locked). Time is passed in, so tests and callers control the clock.
 */
export interface LoginLimiterOptions {
  /** Failures allowed within the window before a lockout (default 5). */
  readonly maxFailures?: number;
  /** Window over which failures are counted (default 15 minutes). */
  readonly windowMs?: number;
  /** First lockout length (default 30 seconds). */
  readonly baseLockoutMs?: number;
  /** Cap on the doubling lockout (default 1 hour). */
  readonly maxLockoutMs?: number;
  /** Quiet time after which the lockout level is forgotten (default 24 hours). */
  readonly resetAfterMs?: number;
  /** Most keys tracked at once (default 10,000). */
  readonly maxKeys?: number;
}

/** Whether an attempt may proceed now, and if not, when to retry. */
export interface LimitDecision {
  readonly allowed: boolean;
  /** 0 when allowed. */
  readonly retryAfterMs: number;
}

/** A login limiter (see {@link createLoginLimiter}). */
export interface LoginLimiter {
  /** May this key attempt a login at `now`? Check before verifying credentials. */
  check(key: string, now: number): LimitDecision;
  /** Record a failed login; returns the decision for the next attempt (locked when this failure tripped it). */
  recordFailure(key: string, now: number): LimitDecision;
  /** Record a successful login: the key's failures and lockout level are cleared. */
  recordSuccess(key: string): void;
  /** Number of keys currently tracked (for metrics and tests). */
  size(): number;
}

interface KeyState {
  /** Failure times within the current window, oldest first (at most maxFailures kept). */
  failures: number[];
  /** How many lockouts this key has had since its level was last reset. */
  level: number;
  lockedUntil: number;
  lastActivity: number;
}

/** Build the limiter key from what was attempted and from where; NUL cannot occur in either part. */
export function loginKey(identityOrRoleId: string, sourceAddress: string): string {
  return `${identityOrRoleId}\u0000${sourceAddress}`;
}

/** How many of the oldest entries eviction inspects looking for an unlocked one. */
const EVICTION_SCAN = 64;

/**
 * Create a limiter.
 *
 * @example
 * const limiter = createLoginLimiter({ maxFailures: 5 });
 * const d = limiter.check(loginKey(roleId, ip), Date.now());
 * if (!d.allowed) throw new HushError('HUSH_E_RATE_LIMITED', `too many failed logins; retry in ${Math.ceil(d.retryAfterMs / 1000)} s`);
 */
export function createLoginLimiter(options: LoginLimiterOptions = {}): LoginLimiter {
  const maxFailures = positive(options.maxFailures ?? 5, 'maxFailures');
  const windowMs = positive(options.windowMs ?? 15 * 60_000, 'windowMs');
  const baseLockoutMs = positive(options.baseLockoutMs ?? 30_000, 'baseLockoutMs');
  const maxLockoutMs = Math.max(baseLockoutMs, positive(options.maxLockoutMs ?? 3_600_000, 'maxLockoutMs'));
  const resetAfterMs = positive(options.resetAfterMs ?? 86_400_000, 'resetAfterMs');
  const maxKeys = positive(options.maxKeys ?? 10_000, 'maxKeys');
  // Map iteration order is insertion order; re-inserting on use makes the first entry the least recently used.
  const states = new Map<string, KeyState>();

  function get(key: string, now: number): KeyState | undefined {
    const s = states.get(key);
    if (!s) return undefined;
    if (now >= s.lockedUntil && now - s.lastActivity >= resetAfterMs) {
      states.delete(key);
      return undefined;
    }
    return s;
  }

  function touch(key: string, s: KeyState): void {
    states.delete(key);
    states.set(key, s);
    if (states.size > maxKeys) evict(states.size - maxKeys, s.lastActivity);
  }

  function evict(count: number, now: number): void {
    for (let n = 0; n < count; n++) {
      let victim: string | undefined;
      let i = 0;
      for (const [k, s] of states) {
        victim ??= k;
        if (s.lockedUntil <= now) {
          victim = k;
          break;
        }
        if (++i >= EVICTION_SCAN) break;
      }
      if (victim !== undefined) states.delete(victim);
    }
  }

  function decision(s: KeyState | undefined, now: number): LimitDecision {
    if (s && now < s.lockedUntil) return { allowed: false, retryAfterMs: s.lockedUntil - now };
    return { allowed: true, retryAfterMs: 0 };
  }

  return {
    check: (key, now) => decision(get(key, now), now),
    recordFailure(key, now) {
      const s = get(key, now) ?? { failures: [], level: 0, lockedUntil: 0, lastActivity: now };
      s.lastActivity = now;
      // Failures during a lockout are attempts that were refused anyway; they do not extend it.
      if (now < s.lockedUntil) {
        touch(key, s);
        return decision(s, now);
      }
      s.failures = s.failures.filter((t) => now - t < windowMs);
      s.failures.push(now);
      if (s.failures.length >= maxFailures) {
        const lockout = Math.min(maxLockoutMs, baseLockoutMs * 2 ** Math.min(s.level, 40));
        s.level++;
        s.lockedUntil = now + lockout;
        s.failures = [];
      }
      touch(key, s);
      return decision(s, now);
    },
    recordSuccess(key) {
      states.delete(key);
    },
    size: () => states.size,
  };
}

function positive(n: number, name: string): number {
  if (!Number.isFinite(n) || n <= 0)
    throw new RangeError(`login limiter: ${name} must be a positive number, got ${n}`);
  return n;
}

/**
 * The bucket a source address is counted in for the per-address login budget: an IPv4 address (IPv4-mapped IPv6
 * included) as itself, an IPv6 address by its /64 (one host usually holds a whole /64, so counting single addresses
 * would let it rotate through 2^64 of them). Anything else (not an IP) is its own bucket.
 */
export function addressBucket(address: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (v4 !== undefined) return v4;
  const ip = address.split('%')[0] ?? address; // a zone id (fe80::1%eth0) names no other host
  if (!/^[0-9a-f:.]+$/i.test(ip) || !ip.includes(':')) return address;
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}

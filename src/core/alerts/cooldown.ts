import { BoundedMap } from './bounded-map.js';

/**
 * Suppress repeats of the same alert key for `cooldownMs` after one was raised: a storm gives one alert per window.
 * Time is the alert's own time, so replays behave like live traffic.
 */
export function createCooldown(maxKeys = 10_000) {
  const until = new BoundedMap<string, number>(maxKeys);
  return {
    /** True (and the key is armed) when an alert with `key` at `t` may go out; false while it is cooling down. */
    admit(key: string, t: number, cooldownMs: number): boolean {
      const blockedUntil = until.get(key);
      if (blockedUntil !== undefined && t < blockedUntil) return false;
      until.set(key, t + cooldownMs);
      return true;
    },
  };
}

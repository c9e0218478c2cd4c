import { BoundedMap } from './bounded-map.js';

/**
 * Suppress repeats of the same alert key for `cooldownMs` after one was raised: a storm gives one alert per window.
 * Time is the alert's own time, so replays behave like live traffic. `onArm` hears every armed window (the server
 * keeps them in the store, so a restart or a new leader repeats nothing); `restore` arms one learnt from there.
 */
export function createCooldown(maxKeys = 10_000, onArm?: (key: string, blockedUntil: number) => void) {
  const until = new BoundedMap<string, number>(maxKeys);
  return {
    /** True (and the key is armed) when an alert with `key` at `t` may go out; false while it is cooling down. */
    admit(key: string, t: number, cooldownMs: number): boolean {
      const blockedUntil = until.get(key);
      if (blockedUntil !== undefined && t < blockedUntil) return false;
      until.set(key, t + cooldownMs);
      onArm?.(key, t + cooldownMs);
      return true;
    },
    /** Arm `key` until `blockedUntil` unless it is already armed longer. */
    restore(key: string, blockedUntil: number): void {
      const current = until.get(key);
      if (current === undefined || current < blockedUntil) until.set(key, blockedUntil);
    },
  };
}

import { randomInt } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { HushError } from '../core/errors/hush-error.js';

/** Whether `err` is storage's check-and-set conflict (another writer changed the row first). */
export function isCasConflict(err: unknown): boolean {
  return err instanceof HushError && err.code === 'HUSH_E_CAS_CONFLICT';
}

/**
 * Run `attempt` again (up to `tries` times in all) when it loses a check-and-set race; other errors propagate.
 * Each retry waits a random 0..2^n ms first, so writers that collided do not collide again in lockstep.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (err) {
      if (!isCasConflict(err) || i >= tries) throw err;
    }
    await delay(randomInt(0, 2 ** Math.min(i, 8) + 1));
  }
}

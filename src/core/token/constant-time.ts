import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compare two secret strings in time independent of where they differ. Both sides are hashed first so that
 * differing lengths do not short-circuit (`timingSafeEqual` itself requires equal lengths).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

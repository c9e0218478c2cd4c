// Shared by the crash writer (child) and the crash test (parent): write n goes to a key slot and carries a
// value derived from n alone, so the parent can tell exactly which write a stored value came from.
import { createHash } from 'node:crypto';

export const CRASH_KEY_SLOTS = 97;

/** The key write n goes to (writes cycle over the slots, so keys are overwritten many times). */
export function crashKey(n) {
  return `crash/${String(n % CRASH_KEY_SLOTS).padStart(3, '0')}`;
}

/** The value of write n: a header naming n, then 0..8191 bytes of a SHA-256 chain seeded by n. */
export function crashValue(n) {
  const body = Buffer.alloc((n * 7919) % 8192);
  let block = createHash('sha256').update(`seed ${n}`).digest();
  for (let off = 0; off < body.length; off += block.length) {
    block.copy(body, off);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat([Buffer.from(`n=${n};`), body]);
}

/** The n a stored value claims to come from, or undefined when the header is unreadable. */
export function crashIndex(value) {
  const m = /^n=(\d+);/.exec(value.subarray(0, 32).toString('latin1'));
  return m ? Number(m[1]) : undefined;
}

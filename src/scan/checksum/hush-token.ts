import { checksumSuffix } from './checksum-token.js';

/** Hush token kinds: service, batch, refresh. */
export type HushTokenKind = 's' | 'b' | 'r';

/** Length of the random base62 part of a Hush token. */
export const HUSH_TOKEN_RANDOM_LENGTH = 43;

/** Shape of a Hush token: `hush_<kind>_` + 43 base62 random + 6 base62 CRC-32 of everything before. */
export const HUSH_TOKEN_SHAPE = /^hush_[sbr]_[0-9A-Za-z]{49}$/;

/**
 * Assemble a Hush token from already-random base62 characters (the caller draws them with crypto.randomInt).
 * @example formatHushToken('s', random43) // 'hush_s_' + random43 + checksum
 */
export function formatHushToken(kind: HushTokenKind, random: string): string {
  if (random.length !== HUSH_TOKEN_RANDOM_LENGTH || !/^[0-9A-Za-z]+$/.test(random)) {
    throw new RangeError(`expected ${HUSH_TOKEN_RANDOM_LENGTH} base62 characters, got ${random.length}`);
  }
  const covered = `hush_${kind}_${random}`;
  return `${covered}${checksumSuffix(covered)}`;
}

/** True when `token` has the Hush shape and its checksum matches (no server lookup needed). */
export function isWellFormedHushToken(token: string): boolean {
  if (!HUSH_TOKEN_SHAPE.test(token)) return false;
  return checksumSuffix(token.slice(0, -6)) === token.slice(-6);
}

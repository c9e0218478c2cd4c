// One implementation serves token issuing (core) and the scanner: the checksum must be the same on both sides.
import { BASE62_ALPHABET, BASE62_ALPHABET_LOWER_FIRST, encodeBase62 } from '../../core/token/base62.js';
import { crc32 } from '../../core/token/crc32.js';

/** Width of a CRC-32 written in base62 (62^6 > 2^32). */
export const CHECKSUM_WIDTH = 6;

/**
 * The 6-character base62 CRC-32 of `text`, to append to a token body.
 * @example `hush_s_${body}${checksumSuffix(`hush_s_${body}`)}`
 */
export function checksumSuffix(text: string, alphabet = BASE62_ALPHABET): string {
  return encodeBase62(crc32(text), CHECKSUM_WIDTH, alphabet);
}

/** True when `suffix` is the base62 CRC-32 of `covered` in either common alphabet ordering. */
export function checksumMatches(covered: string, suffix: string): boolean {
  // Issuers disagree on base62 digit order (GitHub vs Go's big.Int); both still give a 1-in-2^32 false hit rate.
  return (
    suffix === checksumSuffix(covered) || suffix === checksumSuffix(covered, BASE62_ALPHABET_LOWER_FIRST)
  );
}

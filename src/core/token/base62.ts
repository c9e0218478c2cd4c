import { randomBytes } from 'node:crypto';

/** The base62 alphabet, digits first then upper then lower case (the order GitHub tokens use). */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Digits, lower, upper: the ordering of Go's big.Int, which some token issuers use (the scanner checks both). */
export const BASE62_ALPHABET_LOWER_FIRST = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

const BASE62_CHAR = /^[0-9A-Za-z]*$/;

/** True when every character of `s` is in the base62 alphabet. */
export function isBase62(s: string): boolean {
  return BASE62_CHAR.test(s);
}

/**
 * Encode a non-negative safe integer in base62 (in `alphabet`), left-padded with `0` to `width` characters.
 * Throws RangeError when the value does not fit in `width` characters.
 *
 * @example
 * encodeBase62(0xcbf43926, 6); // '3YXJdo'
 */
export function encodeBase62(value: number, width = 0, alphabet = BASE62_ALPHABET): string {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`base62: ${value} is not a non-negative safe integer`);
  let out = '';
  let v = value;
  do {
    out = alphabet[v % 62]! + out;
    v = Math.floor(v / 62);
  } while (v > 0);
  if (width > 0 && out.length > width)
    throw new RangeError(`base62: ${value} needs ${out.length} digits, more than ${width}`);
  return out.padStart(width, '0');
}

/** Decode a base62 string made by {@link encodeBase62}; throws RangeError on a character outside the alphabet. */
export function decodeBase62(s: string, alphabet = BASE62_ALPHABET): number {
  let v = 0;
  for (const ch of s) {
    const d = alphabet.indexOf(ch);
    if (d < 0) throw new RangeError(`base62: character ${JSON.stringify(ch)} is not in the alphabet`);
    v = v * 62 + d;
    if (!Number.isSafeInteger(v)) throw new RangeError('base62: value exceeds the safe integer range');
  }
  return v;
}

/** Largest multiple of 62 below 256: bytes at or above it are rejected so that `byte % 62` is unbiased. */
const REJECT_FROM = 62 * 4;

/**
 * `length` characters drawn uniformly from the base62 alphabet using the CSPRNG, by rejection sampling (no modulo
 * bias). Each character carries log2(62) ~ 5.95 bits, so 43 characters carry 256 bits.
 */
export function randomBase62(length: number): string {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`randomBase62: bad length ${length}`);
  let out = '';
  while (out.length < length) {
    // Ask for ~3% extra to cover rejected bytes, so one draw usually suffices.
    const bytes = randomBytes(Math.ceil((length - out.length) * 1.05) + 4);
    for (const b of bytes) {
      if (b >= REJECT_FROM) continue;
      out += BASE62_ALPHABET[b % 62]!;
      if (out.length === length) break;
    }
  }
  return out;
}

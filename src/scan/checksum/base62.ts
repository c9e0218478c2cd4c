/** Digits, then upper case, then lower case: the ordering GitHub documents for its token checksums. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Digits, lower, upper: the ordering of Go's big.Int, which some token issuers use. */
export const BASE62_ALPHABET_LOWER_FIRST = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Encode a non-negative safe integer in base62, left-padded with the zero digit to `width` characters.
 * @example encodeBase62(61, 2) === '0z'
 */
export function encodeBase62(value: number, width = 0, alphabet = BASE62_ALPHABET): string {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`expected a non-negative safe integer, got ${value}`);
  let out = '';
  let n = value;
  do {
    out = alphabet[n % 62]! + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, alphabet[0]!);
}

/** Decode a base62 string; returns undefined when a character is outside the alphabet or the value is unsafe. */
export function decodeBase62(text: string, alphabet = BASE62_ALPHABET): number | undefined {
  let n = 0;
  for (const ch of text) {
    const digit = alphabet.indexOf(ch);
    if (digit < 0) return undefined;
    n = n * 62 + digit;
    if (!Number.isSafeInteger(n)) return undefined;
  }
  return n;
}

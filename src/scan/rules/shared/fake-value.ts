import { checksumSuffix } from '../../checksum/checksum-token.js';

/** Alphabets that documented token formats draw from. */
export const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const HEX = '0123456789abcdef';
export const UPPER_HEX = '0123456789ABCDEF';
export const B64 = `${B62}+/`;
export const B64URL = `${B62}-_`;
export const UPPER_ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER_ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** FNV-1a of the seed, so that each example value is stable across runs and distinct per seed. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h || 1;
}

/**
 * A deterministic pseudo-random string for rule examples (never a real credential, never crypto-grade).
 * @example fake('stripe-1', 24) // always the same 24 base62 characters
 */
export function fake(seed: string, length: number, alphabet = B62): string {
  let x = seedOf(seed);
  let out = '';
  for (let i = 0; i < length; i++) {
    // xorshift32: cheap, deterministic, good enough to look random to an entropy gate.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += alphabet[x % alphabet.length]!;
  }
  return out;
}

/** A fake UUID v4-shaped string. */
export function fakeUuid(seed: string): string {
  const h = fake(seed, 32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `prefix` + `length` random base62 chars + the 6-char base62 CRC-32 of the random part (GitHub/npm style). */
export function fakeChecksummed(prefix: string, seed: string, length = 30): string {
  const body = fake(seed, length);
  return `${prefix}${body}${checksumSuffix(body)}`;
}

/** base64 (standard alphabet, padded) of a UTF-8 string. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** base64url without padding of a UTF-8 string. */
export function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

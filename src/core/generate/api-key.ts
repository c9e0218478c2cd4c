import { hushError } from '../errors/index.js';
import { encodeBase62 } from '../token/base62.js';
import { crc32 } from '../token/crc32.js';
import { base62Width, checkByteCount, randomBytesEncoded } from './random-encoded.js';

/** Base62 characters of the CRC-32 checksum at the end of an API key (the same as Hush tokens). */
export const API_KEY_CHECKSUM_LENGTH = 6;

/** A prefix: a letter, then letters, digits or `-`, 1..32 characters (the `_` separator is added). */
const PREFIX = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;

/** Options of {@link apiKey}. */
export interface ApiKeyOptions {
  readonly prefix: string;
  readonly bytes?: number;
}

/** The 6-character base62 CRC-32 of everything before it. */
function checksum(body: string): string {
  return encodeBase62(crc32(body), API_KEY_CHECKSUM_LENGTH);
}

/**
 * An API key `prefix_<base62 random><6 base62 CRC-32>`: the prefix makes leaks recognisable by scanners and the
 * checksum lets them (and your service) reject typos and look-alikes offline.
 *
 * @example
 * apiKey({ prefix: 'acme' }); // 'acme_3fK…'
 */
export function apiKey(options: ApiKeyOptions): string {
  if (!PREFIX.test(options.prefix))
    throw hushError('API_KEY_PREFIX_MUST_LETTER', { length: options.prefix.length });
  const n = checkByteCount(options.bytes ?? 32, 'api-key bytes');
  const body = `${options.prefix}_${randomBytesEncoded({ bytes: n, encoding: 'base62' })}`;
  return body + checksum(body);
}

/** True when `key` has an API-key shape and its checksum matches (says nothing about whether it was issued). */
export function verifyApiKeyChecksum(key: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9-]{0,31})_([0-9A-Za-z]+)$/.exec(key);
  if (!m || m[2]!.length <= API_KEY_CHECKSUM_LENGTH) return false;
  const body = key.slice(0, key.length - API_KEY_CHECKSUM_LENGTH);
  return checksum(body) === key.slice(-API_KEY_CHECKSUM_LENGTH);
}

/** The length of the random part for `bytes` bytes of randomness. */
export function apiKeyRandomLength(bytes: number): number {
  return base62Width(bytes);
}

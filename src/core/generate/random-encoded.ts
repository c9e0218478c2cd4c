import { randomBytes } from 'node:crypto';
import { hushError } from '../errors/index.js';
import { BASE62_ALPHABET } from '../token/base62.js';

/** Encodings for random bytes. */
export const BYTE_ENCODINGS = ['hex', 'base64', 'base64url', 'base62'] as const;
/** One of {@link BYTE_ENCODINGS}. */
export type ByteEncoding = (typeof BYTE_ENCODINGS)[number];

/** The most random bytes generated at once. */
export const MAX_RANDOM_BYTES = 4096;

/** Options of {@link randomBytesEncoded}. */
export interface RandomBytesOptions {
  readonly bytes?: number;
  readonly encoding?: ByteEncoding;
}

/** Check a byte count option: a whole number 1..MAX_RANDOM_BYTES. */
export function checkByteCount(bytes: number, what = 'bytes'): number {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_RANDOM_BYTES)
    throw hushError('RANDOM_BYTES_OUT_OF_RANGE', { what, maxRandomBytes: MAX_RANDOM_BYTES, bytes });
  return bytes;
}

/** Base62 digits needed for `n` bytes: every n-byte value fits, so the width is fixed and decoding is exact. */
export function base62Width(n: number): number {
  return Math.ceil((n * 8) / Math.log2(62));
}

/** Encode bytes as fixed-width base62 (big-endian, left-padded with `0`) so leading zero bytes survive. */
export function bytesToBase62(bytes: Uint8Array): string {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  let out = '';
  while (v > 0n) {
    out = BASE62_ALPHABET[Number(v % 62n)]! + out;
    v /= 62n;
  }
  return out.padStart(base62Width(bytes.length), '0');
}

/** Decode {@link bytesToBase62} output back to `length` bytes; throws RangeError on a foreign character or overflow. */
export function base62ToBytes(s: string, length: number): Buffer {
  let v = 0n;
  for (const ch of s) {
    const d = BASE62_ALPHABET.indexOf(ch);
    if (d < 0) throw new RangeError(`base62: character ${JSON.stringify(ch)} is not in the alphabet`);
    v = v * 62n + BigInt(d);
  }
  const out = Buffer.alloc(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`base62: value does not fit in ${length} bytes`);
  return out;
}

/**
 * `bytes` CSPRNG bytes in the given encoding (default 32 bytes, hex).
 *
 * @example
 * randomBytesEncoded({ bytes: 32, encoding: 'base64url' });
 */
export function randomBytesEncoded(options: RandomBytesOptions = {}): string {
  const n = checkByteCount(options.bytes ?? 32);
  const encoding = options.encoding ?? 'hex';
  if (!BYTE_ENCODINGS.includes(encoding))
    throw hushError('UNKNOWN_BYTE_ENCODING', {
      byteEncodings: BYTE_ENCODINGS.join(', '),
      encoding: JSON.stringify(encoding),
    });
  const raw = randomBytes(n);
  try {
    return encoding === 'base62' ? bytesToBase62(raw) : raw.toString(encoding);
  } finally {
    raw.fill(0);
  }
}

import * as crypto from 'node:crypto';

// `crypto.hash` (Node >= 20.12) digests in one call without building a Hash object: on hot paths that hash one
// short string per request (audit records, lookup ids) the object costs more than the digest. Older Node 20 builds
// fall back to createHash.
const oneShot = (crypto as { hash?: (alg: string, data: string | Buffer, enc: 'hex') => string }).hash;

/**
 * SHA-256 of `data` (strings as UTF-8), hex.
 *
 * @example
 * sha256Hex('abc'); // 'ba7816bf…'
 */
export function sha256Hex(data: string | Buffer): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}

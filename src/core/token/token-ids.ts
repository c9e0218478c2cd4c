import { createHmac, randomUUID } from 'node:crypto';
import { randomBase62 } from './base62.js';

/** Minimum HMAC key length: the server's token-lookup key is a full 256-bit key. */
const MIN_HMAC_KEY_BYTES = 32;

/**
 * The storage id of a token (or any presented secret such as an AppRole secret id): HMAC-SHA256 under the server's
 * lookup key, hex. Tokens are stored only under this id, so a storage dump reveals no usable token, and lookups by
 * id compare digests rather than raw tokens.
 *
 * @example
 * const id = tokenLookupId(lookupKey, presentedToken);
 */
export function tokenLookupId(hmacKey: Uint8Array, token: string): string {
  if (hmacKey.length < MIN_HMAC_KEY_BYTES) {
    throw new RangeError(
      `token lookup key is ${hmacKey.length} bytes; it must be at least ${MIN_HMAC_KEY_BYTES}`,
    );
  }
  return createHmac('sha256', hmacKey).update(token, 'utf8').digest('hex');
}

/** Prefix of token accessors: deliberately unlike `hush_` so scanners never mistake one for a token. */
export const ACCESSOR_PREFIX = 'acc_';

/**
 * A token accessor: a random, non-secret handle that names a token in audit records, listings and revocation
 * without granting its powers.
 */
export function generateAccessor(): string {
  return ACCESSOR_PREFIX + randomBase62(32);
}

/** A new AppRole role id (public, like a username): a random UUID. */
export function generateRoleId(): string {
  return randomUUID();
}

/** A new AppRole secret id (secret, like a password): 40 random base62 characters (~238 bits). */
export function generateSecretId(): string {
  return randomBase62(40);
}

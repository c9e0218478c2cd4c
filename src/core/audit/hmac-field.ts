import { createHmac } from 'node:crypto';

/** Prefix marking an HMAC'd field in an audit record. */
export const HMAC_PREFIX = 'hmac-sha256:';

/** Minimum audit HMAC key length (a full 256-bit key). */
const MIN_KEY_BYTES = 32;

/**
 * HMAC a sensitive value for the audit log: `hmac-sha256:<hex>`. The same key and value always give the same
 * output, so an investigator can match a known value with `hush audit hash VALUE` without the log revealing it.
 *
 * @example
 * hmacField(auditKey, 'amy@example.com'); // 'hmac-sha256:5f1c…'
 */
export function hmacField(key: Uint8Array, value: string | Uint8Array): string {
  if (key.length < MIN_KEY_BYTES) {
    throw new RangeError(`audit HMAC key is ${key.length} bytes; it must be at least ${MIN_KEY_BYTES}`);
  }
  const h = createHmac('sha256', key);
  h.update(typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
  return HMAC_PREFIX + h.digest('hex');
}

/**
 * Keys are stored as their UTF-8 bytes; these helpers turn a prefix listing into the index range
 * `key >= from AND key < upper` over bytea (memcmp order, i.e. UTF-8 byte order): exact for `%`, `_`, NUL and
 * any Unicode, unlike LIKE.
 */

/** A key's stored form: its UTF-8 bytes. */
export function keyBytes(key: string): Buffer {
  return Buffer.from(key, 'utf8');
}

/**
 * The smallest byte string greater than every byte string starting with `prefix`, or undefined when there is
 * none (empty prefix). UTF-8 never contains 0xff, but trailing 0xff bytes are dropped anyway for safety.
 *
 * @example prefixUpperBound(Buffer.from('app/')) equals Buffer.from('app0')
 */
export function prefixUpperBound(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end -= 1;
  if (end === 0) return undefined;
  const upper = Buffer.from(prefix.subarray(0, end));
  upper[end - 1] = upper[end - 1]! + 1;
  return upper;
}

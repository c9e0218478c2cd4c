const MAX_CODE_POINT = 0x10ffff;

/** The code point after `cp`, skipping the surrogate block (no UTF-8 string contains a surrogate). */
function nextCodePoint(cp: number): number {
  return cp === 0xd7ff ? 0xe000 : cp + 1;
}

/**
 * The smallest string greater (in UTF-8 byte order, which is SQLite's BINARY collation) than every string that
 * starts with `prefix`, or undefined when there is none (empty prefix, or only U+10FFFF). With it a prefix
 * listing is the index range `key >= prefix AND key < bound`: exact for `%`, `_` and any Unicode, unlike LIKE.
 *
 * @example prefixUpperBound('app/') === 'app0'
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const cps = Array.from(prefix, (ch) => ch.codePointAt(0)!);
  while (cps.length > 0) {
    const last = cps.pop()!;
    if (last < MAX_CODE_POINT) return String.fromCodePoint(...cps, nextCodePoint(last));
  }
  return undefined;
}

/** Compare two keys in UTF-8 byte order (what SQLite uses), not JavaScript's UTF-16 code-unit order. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Canonical encoding of additional authenticated data. Every ciphertext Hush writes is bound to where it lives
 * (purpose, project, environment, path, version, key ids), so a ciphertext copied to another row or version fails
 * to open. Fields are sorted by name and length-prefixed, so no two distinct field sets encode to the same bytes.
 */
export type AadFields = Readonly<Record<string, string | number>>;

/** Encode AAD fields canonically (sorted, u32 length-prefixed name and value). */
export function encodeAad(fields: AadFields): Buffer {
  // One allocation: this runs two or three times per secret read, so it sits on the hot path.
  const texts: string[] = [];
  let size = MAGIC.length;
  for (const name of Object.keys(fields).sort()) {
    const value = fields[name];
    for (const text of [name, typeof value === 'number' ? `#${value}` : `s${value}`]) {
      if (!isWellFormed(text)) throw new RangeError('AAD names and values must be well-formed UTF-16 text');
      texts.push(text);
      size += 4 + Buffer.byteLength(text, 'utf8');
    }
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.write(MAGIC, 0, 'latin1');
  for (const text of texts) {
    const len = out.write(text, at + 4, 'utf8');
    out.writeUInt32BE(len, at);
    at += 4 + len;
  }
  return out;
}

const MAGIC = 'hush-aad-v1';

// A lone UTF-16 surrogate encodes to U+FFFD in UTF-8, so '\uD800' and '\uFFFD' would share bytes; refuse it.
// String.prototype.isWellFormed (Node 20+) is several times faster than a \p{Cs} regex on this hot path.
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Canonical encoding of additional authenticated data. Every ciphertext Hush writes is bound to where it lives
 * (purpose, project, environment, path, version, key ids), so a ciphertext copied to another row or version fails
 * to open. Fields are sorted by name and length-prefixed, so no two distinct field sets encode to the same bytes.
 */
export type AadFields = Readonly<Record<string, string | number>>;

/** Encode AAD fields canonically (sorted, u32 length-prefixed name and value). */
export function encodeAad(fields: AadFields): Buffer {
  const parts: Buffer[] = [Buffer.from('hush-aad-v1')];
  for (const name of Object.keys(fields).sort()) {
    const value = fields[name];
    parts.push(lengthPrefixed(name), lengthPrefixed(typeof value === 'number' ? `#${value}` : `s${value}`));
  }
  return Buffer.concat(parts);
}

// A lone UTF-16 surrogate encodes to U+FFFD in UTF-8, so '\uD800' and '\uFFFD' would share bytes; refuse it.
const LONE_SURROGATE = /\p{Cs}/u;

function lengthPrefixed(text: string): Buffer {
  if (LONE_SURROGATE.test(text)) throw new RangeError('AAD names and values must be well-formed UTF-16 text');
  const body = Buffer.from(text, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

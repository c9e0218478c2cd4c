import { hushError } from '../errors/index.js';
import { assertJsonDepth } from './json-depth.js';
import { loneSurrogateAt, loneSurrogateError } from './lone-surrogate.js';

/** A JSON value, as stored inside a JSON-object secret. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A secret value: a UTF-8 string, or a JSON object (e.g. a set of credentials kept together). */
export type SecretValue = string | { readonly [key: string]: JsonValue };

/** Values above this many bytes are refused unless `maxValueBytes` is raised. */
export const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

const TAG_STRING = 0x01;
const TAG_JSON = 0x02;

/**
 * Encode a value as `[type tag][UTF-8 bytes]` so a string that looks like JSON reads back as a string.
 *
 * @example
 * decodeValue(encodeValue('s3cret')); // 's3cret'
 */
export function encodeValue(value: SecretValue, maxValueBytes = DEFAULT_MAX_VALUE_BYTES): Buffer {
  const [tag, text] = typeof value === 'string' ? [TAG_STRING, value] : [TAG_JSON, jsonText(value)];
  const body = Buffer.from(text, 'utf8');
  if (body.length > maxValueBytes) {
    throw hushError(
      'STORE_VALUE_TOO_LARGE',
      { size: body.length, maxValueBytes },
      { bytes: body.length, limit: maxValueBytes },
    );
  }
  return Buffer.concat([Buffer.of(tag), body]);
}

/** Decode bytes made by {@link encodeValue}; unknown tags are an integrity failure. */
export function decodeValue(bytes: Uint8Array): SecretValue {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('utf8', 1);
  if (buf[0] === TAG_STRING) return text;
  if (buf[0] === TAG_JSON) {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) return parsed;
  }
  throw hushError('DECRYPTED_VALUE_UNKNOWN_TYPE_TAG', { value: buf[0] ?? 'none' });
}

/** Check that an untrusted input (from JSON, YAML, HTTP) is a valid secret value. */
export function assertSecretValue(value: unknown, what = 'value'): asserts value is SecretValue {
  if (typeof value === 'string' || isJsonObject(value)) {
    // A value that nests too deep could be stored but never exported (JSON/YAML writers recurse).
    if (typeof value !== 'string') assertJsonDepth(value, what);
    // A lone surrogate becomes U+FFFD in UTF-8 storage (or in any export): refuse it rather than change it.
    const at = loneSurrogateAt(value);
    if (at !== undefined) throw loneSurrogateError(what, at, 'storing it');
    return;
  }
  const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  throw hushError('SECRET_VALUE_WRONG_TYPE', { what, found });
}

function isJsonObject(value: unknown): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonText(value: SecretValue): string {
  assertSecretValue(value);
  return JSON.stringify(value);
}

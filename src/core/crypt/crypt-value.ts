import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { hushError } from '../errors/index.js';

/** The value types of the SOPS format (`comment` is not used: Hush keeps comments as written). */
export type CryptValueType = 'str' | 'int' | 'float' | 'bool' | 'datetime';

/**
 * A leaf value as SOPS encrypts it: `text` is the plaintext bytes (a number in decimal, a boolean as `true`/`false`),
 * `type` says how to turn it back into the file's own value.
 */
export interface CryptValue {
  readonly type: CryptValueType;
  readonly text: string;
}

// SOPS draws a 32-byte IV for AES-256-GCM (GCM hashes a non-96-bit IV into its counter); readers accept any length.
const IV_BYTES = 32;
const TAG_BYTES = 16;
const ENC_PATTERN =
  /^ENC\[AES256_GCM,data:([A-Za-z0-9+/=]*),iv:([A-Za-z0-9+/=]+),tag:([A-Za-z0-9+/=]+),type:([a-z]+)\]$/;
const TYPES: readonly string[] = ['str', 'int', 'float', 'bool', 'datetime', 'bytes'];

/** True when `text` looks like an encrypted value (`ENC[AES256_GCM,...]`), well-formed or not. */
export function looksEncrypted(text: string): boolean {
  return text.startsWith('ENC[');
}

/**
 * The additional data a value is bound to: its path joined by `:` with a trailing `:`, as SOPS does, so a ciphertext
 * moved to another key fails to open. List items carry their list's path (no index), like SOPS.
 */
export function pathAad(path: readonly string[]): string {
  return `${path.join(':')}:`;
}

/** Human form of a key path for messages (`db.password`). */
export function showPath(path: readonly string[]): string {
  return path.length === 0 ? '(top level)' : path.join('.');
}

/**
 * Encrypt one value with AES-256-GCM under `key`, bound to `aad`; returns `ENC[AES256_GCM,data:..,iv:..,tag:..,type:..]`.
 *
 * @example
 * encryptValue(key, { type: 'str', text: 's3cret' }, 'db:password:'); // ENC[AES256_GCM,data:...,type:str]
 */
export function encryptValue(key: Uint8Array, value: CryptValue, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(value.text, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${tag.toString('base64')},type:${value.type}]`;
}

/** Where a value sits, for messages: the file and the key path. */
export interface ValueSite {
  readonly file: string;
  readonly path: readonly string[];
}

/**
 * Decrypt an `ENC[...]` value bound to `aad`. A malformed value is HUSH_E_INVALID_INPUT and one that fails
 * authentication (tampered, moved to another key, another file's key) HUSH_E_INTEGRITY, both naming file and key path.
 */
export function decryptValue(key: Uint8Array, enc: string, aad: string, site: ValueSite): CryptValue {
  const m = ENC_PATTERN.exec(enc);
  const [, data, iv, tag, type] = m ?? [];
  if (
    data === undefined ||
    iv === undefined ||
    tag === undefined ||
    type === undefined ||
    !TYPES.includes(type)
  ) {
    throw hushError('CRYPT_VALUE_MALFORMED', { file: site.file, path: showPath(site.path) });
  }
  const tagBytes = Buffer.from(tag, 'base64');
  if (tagBytes.length !== TAG_BYTES) {
    throw hushError('CRYPT_VALUE_MALFORMED', { file: site.file, path: showPath(site.path) });
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tagBytes);
    const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
    return { type: type === 'bytes' ? 'str' : (type as CryptValueType), text };
  } catch {
    throw hushError('CRYPT_VALUE_TAMPERED', { file: site.file, path: showPath(site.path) });
  }
}

/** The bytes a value adds to the MAC: SOPS writes booleans as `True`/`False` there (Go's title case). */
export function macBytes(value: CryptValue): string {
  if (value.type === 'bool') return value.text === 'true' ? 'True' : 'False';
  return value.text;
}

/** A float as Go's `strconv.FormatFloat(f, 'f', -1, 64)` prints it (no exponent), which SOPS encrypts and MACs. */
export function formatFloat(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const plain = String(n);
  if (!/e/i.test(plain)) return plain;
  // Exponent forms only arise for |n| >= 1e21 or < 1e-6; spell them out digit by digit.
  const [mantissa = '', exp = '0'] = plain.split(/e/i);
  const neg = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = (mantissa.replace('-', '').indexOf('.') + 1 || mantissa.replace('-', '').length + 1) - 1;
  const shift = point + Number(exp);
  const body =
    shift <= 0
      ? `0.${'0'.repeat(-shift)}${digits}`
      : shift >= digits.length
        ? digits + '0'.repeat(shift - digits.length)
        : `${digits.slice(0, shift)}.${digits.slice(shift)}`;
  return (neg ? '-' : '') + body;
}

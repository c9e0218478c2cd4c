import type { SealedValue } from '../crypto/envelope.js';
import type { HushError } from '../errors/hush-error.js';
import { hushError } from '../errors/index.js';

/**
 * Byte layouts of the rows the store writes. A leading format byte lets a later release change a layout and still
 * read old rows.
 *
 * SealedValue: [0x01][kekVersion u32][wrappedKey length u32][wrappedKey][ciphertext]
 * Sealed metadata: [0x01][kekVersion u32][AEAD envelope]
 */
const FORMAT_V1 = 0x01;

/** Encode a sealed secret version for storage. */
export function encodeSealedValue(sealed: SealedValue): Buffer {
  const header = Buffer.alloc(9);
  header[0] = FORMAT_V1;
  header.writeUInt32BE(sealed.kekVersion, 1);
  header.writeUInt32BE(sealed.wrappedKey.length, 5);
  return Buffer.concat([header, sealed.wrappedKey, sealed.ciphertext]);
}

/**
 * Decode a row made by {@link encodeSealedValue}; malformed rows raise HUSH_E_INTEGRITY naming `where` (a function
 * lets a hot caller build that text only on failure).
 */
export function decodeSealedValue(bytes: Uint8Array, where: string | (() => string)): SealedValue {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 9 || buf[0] !== FORMAT_V1) throw malformed(where, buf);
  const keyLength = buf.readUInt32BE(5);
  if (buf.length < 9 + keyLength) throw malformed(where, buf);
  return {
    kekVersion: buf.readUInt32BE(1),
    // Views, not copies: rows come from storage as private buffers, and this sits on every read.
    wrappedKey: buf.subarray(9, 9 + keyLength),
    ciphertext: buf.subarray(9 + keyLength),
  };
}

/** A metadata envelope with the KEK version that sealed it. */
export interface SealedMetadata {
  readonly kekVersion: number;
  readonly box: Buffer;
}

/** Encode sealed metadata for storage. */
export function encodeSealedMetadata(sealed: SealedMetadata): Buffer {
  const header = Buffer.alloc(5);
  header[0] = FORMAT_V1;
  header.writeUInt32BE(sealed.kekVersion, 1);
  return Buffer.concat([header, sealed.box]);
}

/** Decode a row made by {@link encodeSealedMetadata}. */
export function decodeSealedMetadata(bytes: Uint8Array, where: string): SealedMetadata {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 5 || buf[0] !== FORMAT_V1) throw malformed(where, buf);
  return { kekVersion: buf.readUInt32BE(1), box: Buffer.from(buf.subarray(5)) };
}

function malformed(where: string | (() => string), buf: Buffer): HushError {
  return hushError('ENCODED_VALUE_MALFORMED', {
    value: typeof where === 'string' ? where : where(),
    length: buf.length,
    value2: buf[0] ?? 'none',
  });
}

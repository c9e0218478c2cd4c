import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { HushError } from '../errors/hush-error.js';
import { hushError } from '../errors/index.js';
import { type AadFields, encodeAad } from './aad.js';
import { KEY_BYTES } from './random.js';

/** Envelope layout: [format 1 byte][nonce 12][tag 16][ciphertext]. */
const FORMAT_V1 = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

/**
 * Encrypt with AES-256-GCM under a fresh 96-bit random nonce, binding `aad`.
 *
 * @example
 * const box = sealAead(key, Buffer.from('s3cret'), { purpose: 'value', path: 'a/b/c', version: 1 });
 */
export function sealAead(key: Uint8Array, plaintext: Uint8Array, aad: AadFields): Buffer {
  assertKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(encodeAad(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT_V1), nonce, cipher.getAuthTag(), body]);
}

/**
 * Decrypt an envelope made by {@link sealAead}. Any change to the envelope, the key or the AAD raises
 * `HUSH_E_INTEGRITY`: tampered data is reported, never returned as garbage. `aad` is the fields, or their bytes as
 * encoded by `encodeAad` (hot read paths reuse them: the AAD of a given row never changes). `what` names the data
 * in the error; a function builds that text only on failure.
 */
export function openAead(
  key: Uint8Array,
  envelope: Uint8Array,
  aad: AadFields | Uint8Array,
  what: string | (() => string) = 'ciphertext',
): Buffer {
  assertKey(key);
  if (envelope.length < HEADER_BYTES || envelope[0] !== FORMAT_V1) {
    throw integrityError(what, `it is ${envelope.length} bytes with format byte ${envelope[0] ?? 'none'}`);
  }
  const buf = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 1 + NONCE_BYTES));
    decipher.setAAD(aad instanceof Uint8Array ? aad : encodeAad(aad));
    decipher.setAuthTag(buf.subarray(1 + NONCE_BYTES, HEADER_BYTES));
    const body = decipher.update(buf.subarray(HEADER_BYTES));
    // final() verifies the tag; GCM emits no bytes there, so skip a copy of the whole plaintext when it is empty.
    const tail = decipher.final();
    return tail.length === 0 ? body : Buffer.concat([body, tail]);
  } catch {
    throw integrityError(what, 'its authentication tag does not match');
  }
}

function integrityError(what: string | (() => string), found: string): HushError {
  return hushError('FAILED_INTEGRITY_CHECK_DATA_TAMPERED', {
    value: typeof what === 'string' ? what : what(),
    found,
  });
}

function assertKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES)
    throw new RangeError(`AES-256 key must be ${KEY_BYTES} bytes, got ${key.length}`);
}

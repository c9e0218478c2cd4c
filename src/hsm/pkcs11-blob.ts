import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';

/** How a blob was wrapped inside the HSM. */
export type WrapMechanism = 'aes-gcm' | 'aes-key-wrap-pad';

/** The wrap mechanisms, in order of preference (GCM authenticates a purpose; key wrap is the fallback). */
export const WRAP_MECHANISMS: readonly WrapMechanism[] = ['aes-gcm', 'aes-key-wrap-pad'];

/** A decoded blob. */
export interface HsmBlob {
  readonly version: 1;
  readonly mechanism: WrapMechanism;
  /** The GCM nonce (empty for key wrap, which has none). */
  readonly iv: Buffer;
  /** GCM ciphertext plus 16-byte tag, or the RFC 5649 wrapped bytes. */
  readonly body: Buffer;
}

// Layout: "HSM" | version u8 | mechanism u8 | iv length u8 | iv | body. Self-describing, so a later version can
// change mechanism or IV size and old blobs still open.
const MAGIC = Buffer.from('HSM', 'latin1');
const VERSION = 1;
const MECHANISM_IDS: Record<WrapMechanism, number> = { 'aes-gcm': 1, 'aes-key-wrap-pad': 2 };
const HEADER = MAGIC.length + 3;

/** Encode a blob for storage. */
export function encodeHsmBlob(blob: Omit<HsmBlob, 'version'>): Buffer {
  if (blob.iv.length > 255) throw new RangeError(`iv must be at most 255 bytes, got ${blob.iv.length}`);
  const header = Buffer.from([VERSION, MECHANISM_IDS[blob.mechanism], blob.iv.length]);
  return Buffer.concat([MAGIC, header, blob.iv, blob.body]);
}

/** Decode a stored blob; anything malformed is HUSH_E_INTEGRITY (it is stored data, not input). */
export function decodeHsmBlob(bytes: Uint8Array): HsmBlob {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw damaged(`it does not start with the HSM blob header (${buf.length} bytes)`);
  }
  const version = buf[3];
  if (version !== VERSION) throw damaged(`version ${version} is not supported (expected ${VERSION})`);
  const id = buf[4];
  const mechanism = WRAP_MECHANISMS.find((m) => MECHANISM_IDS[m] === id);
  if (!mechanism) throw damaged(`mechanism id ${id} is unknown`);
  const ivLength = buf[5] ?? 0;
  const expectedIv = mechanism === 'aes-gcm' ? 12 : 0;
  if (ivLength !== expectedIv) throw damaged(`${mechanism} needs a ${expectedIv}-byte iv, found ${ivLength}`);
  const body = buf.subarray(HEADER + ivLength);
  if (body.length < 16) throw damaged(`its ciphertext is ${body.length} bytes, at least 16 expected`);
  return { version: 1, mechanism, iv: buf.subarray(HEADER, HEADER + ivLength), body };
}

function damaged(detail: string): HushError {
  return hushError('HSM_WRAPPED_BLOB_DAMAGED', { detail });
}

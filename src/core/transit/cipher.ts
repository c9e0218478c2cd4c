import {
  type CipherGCMTypes,
  constants,
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import type { HushError } from '../errors/hush-error.js';
import { hushError } from '../errors/index.js';
import type { PreparedVersion } from './key-material.js';
import { isRsa } from './key-types.js';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Longest derivation context: the HKDF info limit of node:crypto. */
export const MAX_CONTEXT_BYTES = 1024;

/** What binds a ciphertext besides the key: associated data (authenticated, not encrypted) and a derivation context. */
export interface CipherBinding {
  readonly associatedData?: Buffer;
  /** Required for derived keys, refused for others. */
  readonly context?: Buffer;
}

function invalid(): HushError {
  // One message for every failure: which check failed would tell an attacker what they got right.
  return hushError('CIPHERTEXT_DID_NOT_DECRYPT_CHANGED');
}

/** RSA keys are never derived: a context would be silently ignored, so it is refused. */
function refuseContext(bind: CipherBinding): void {
  if (bind.context !== undefined) throw hushError('RSA_KEYS_NOT_DERIVED');
}

/** The symmetric key for one call: the version's key, or its HKDF-SHA256 subkey for `context` when derived. */
function symmetricKey(v: PreparedVersion, derived: boolean, context: Buffer | undefined): KeyObject {
  if (!v.secret || !v.secretKey) throw new TypeError('symmetricKey needs a symmetric version');
  if (!derived) {
    if (context !== undefined) throw hushError('KEY_NOT_DERIVED');
    return v.secretKey;
  }
  if (context === undefined || context.length === 0) throw hushError('KEY_DERIVED');
  // HKDF's info is capped (Node throws a RangeError past it, which would surface as a 500).
  if (context.length > MAX_CONTEXT_BYTES) {
    throw hushError('DERIVATION_CONTEXT_TOO_LONG', { length: context.length, max: MAX_CONTEXT_BYTES });
  }
  return createSecretKey(Buffer.from(hkdfSync('sha256', v.secret, Buffer.alloc(0), context, 32)));
}

function algorithm(v: PreparedVersion): CipherGCMTypes {
  // Node types list ChaCha20-Poly1305 apart from GCM, but both take the same options (12-byte nonce, 16-byte tag).
  return (v.type === 'chacha20-poly1305' ? 'chacha20-poly1305' : 'aes-256-gcm') as CipherGCMTypes;
}

/**
 * Encrypt `plaintext` with one key version: AES-256-GCM or ChaCha20-Poly1305 as nonce(12) || body || tag(16), or
 * RSA-OAEP-SHA256 (associated data becomes the OAEP label).
 */
export function encryptBytes(
  v: PreparedVersion,
  derived: boolean,
  plaintext: Uint8Array,
  bind: CipherBinding = {},
): Buffer {
  if (isRsa(v.type)) {
    if (!v.publicKey) throw new TypeError('RSA version without a public key');
    refuseContext(bind);
    const room = (v.publicKey.asymmetricKeyDetails?.modulusLength ?? 2048) / 8 - 2 * 32 - 2;
    if (plaintext.length > room) {
      throw hushError('OAEP_ENCRYPTS_MOST_BYTES_PLAINTEXT', { type: v.type, room, length: plaintext.length });
    }
    return publicEncrypt(
      {
        key: v.publicKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        ...(bind.associatedData ? { oaepLabel: bind.associatedData } : {}),
      },
      plaintext,
    );
  }
  const key = symmetricKey(v, derived, bind.context);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(algorithm(v), key, nonce, { authTagLength: TAG_BYTES });
  if (bind.associatedData) cipher.setAAD(bind.associatedData, { plaintextLength: plaintext.length });
  const body = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Decrypt what {@link encryptBytes} made; HUSH_E_TRANSIT_INVALID on any mismatch, with no hint which. */
export function decryptBytes(
  v: PreparedVersion,
  derived: boolean,
  ciphertext: Buffer,
  bind: CipherBinding = {},
): Buffer {
  if (isRsa(v.type)) {
    if (!v.privateKey) throw new TypeError('RSA version without a private key');
    refuseContext(bind);
    try {
      return privateDecrypt(
        {
          key: v.privateKey,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: 'sha256',
          ...(bind.associatedData ? { oaepLabel: bind.associatedData } : {}),
        },
        ciphertext,
      );
    } catch {
      throw invalid();
    }
  }
  const key = symmetricKey(v, derived, bind.context);
  if (ciphertext.length < NONCE_BYTES + TAG_BYTES) throw invalid();
  try {
    const decipher = createDecipheriv(algorithm(v), key, ciphertext.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    const body = ciphertext.subarray(NONCE_BYTES, ciphertext.length - TAG_BYTES);
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
    if (bind.associatedData) decipher.setAAD(bind.associatedData, { plaintextLength: body.length });
    const out = decipher.update(body);
    decipher.final();
    return out;
  } catch {
    throw invalid();
  }
}

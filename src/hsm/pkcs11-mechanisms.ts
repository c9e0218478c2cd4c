import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Handle } from 'pkcs11js';
import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { HsmBlob, WrapMechanism } from './pkcs11-blob.js';
import { isSessionLost } from './pkcs11-key-session.js';
import type { TokenContext } from './pkcs11-token.js';

/** One session and the wrapping key inside the token. */
export interface KeySession extends TokenContext {
  readonly session: Handle;
  readonly key: Handle;
}

const GCM_IV_BYTES = 12;
const GCM_TAG_BYTES = 16;
// Key wrap has no AAD, so a digest of the AAD is wrapped in front of the plaintext and checked on unwrap. The
// plaintext length follows it: some tokens (SoftHSM2 2.6) return RFC 5649 padding as part of the unwrapped value.
const BINDING_BYTES = 16;
const PREFIX_BYTES = BINDING_BYTES + 4;

/** Encrypt `plaintext` inside the HSM with `mechanism`, bound to `aad`. */
export function hsmEncrypt(
  ks: KeySession,
  mechanism: WrapMechanism,
  plaintext: Uint8Array,
  aad: Buffer,
): Omit<HsmBlob, 'version'> {
  if (mechanism === 'aes-gcm') {
    const iv = randomBytes(GCM_IV_BYTES);
    ks.api.C_EncryptInit(ks.session, gcm(ks, iv, aad), ks.key);
    const out = Buffer.alloc(plaintext.length + GCM_TAG_BYTES);
    const body = Buffer.from(ks.api.C_Encrypt(ks.session, Buffer.from(plaintext), out));
    return { mechanism, iv, body };
  }
  const { js, api, session } = ks;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(plaintext.length);
  const value = Buffer.concat([binding(aad), length, plaintext]);
  // A session object (CKA_TOKEN false) holding the plaintext, so C_WrapKey can wrap it; destroyed at once.
  const object = api.C_CreateObject(session, [
    { type: js.CKA_CLASS, value: js.CKO_SECRET_KEY },
    { type: js.CKA_KEY_TYPE, value: js.CKK_GENERIC_SECRET },
    { type: js.CKA_TOKEN, value: false },
    { type: js.CKA_SENSITIVE, value: false },
    { type: js.CKA_EXTRACTABLE, value: true },
    { type: js.CKA_VALUE, value },
  ]);
  value.fill(0);
  try {
    const out = Buffer.alloc(Math.ceil(value.length / 8) * 8 + 8);
    const body = Buffer.from(
      api.C_WrapKey(session, { mechanism: js.CKM_AES_KEY_WRAP_PAD }, ks.key, object, out),
    );
    return { mechanism, iv: Buffer.alloc(0), body };
  } finally {
    api.C_DestroyObject(session, object);
  }
}

/** Decrypt a blob inside the HSM; a wrong key, AAD or a tampered blob is HUSH_E_INTEGRITY. */
export function hsmDecrypt(ks: KeySession, blob: HsmBlob, aad: Buffer): Buffer {
  if (blob.mechanism === 'aes-gcm') {
    try {
      ks.api.C_DecryptInit(ks.session, gcm(ks, blob.iv, aad), ks.key);
      const out = Buffer.alloc(blob.body.length);
      return Buffer.from(ks.api.C_Decrypt(ks.session, blob.body, out));
    } catch (err) {
      if (isSessionLost(ks.js, err)) throw err;
      throw tampered();
    }
  }
  const { js, api, session } = ks;
  let object: Handle;
  try {
    object = api.C_UnwrapKey(session, { mechanism: js.CKM_AES_KEY_WRAP_PAD }, ks.key, blob.body, [
      { type: js.CKA_CLASS, value: js.CKO_SECRET_KEY },
      { type: js.CKA_KEY_TYPE, value: js.CKK_GENERIC_SECRET },
      { type: js.CKA_TOKEN, value: false },
      { type: js.CKA_SENSITIVE, value: false },
      { type: js.CKA_EXTRACTABLE, value: true },
    ]);
  } catch (err) {
    if (isSessionLost(js, err)) throw err;
    throw tampered();
  }
  try {
    const [attr] = api.C_GetAttributeValue(session, object, [{ type: js.CKA_VALUE }]);
    const value = Buffer.from((attr?.value as Buffer | undefined) ?? Buffer.alloc(0));
    try {
      const found = value.subarray(0, BINDING_BYTES);
      if (value.length < PREFIX_BYTES || !timingSafeEqual(found, binding(aad))) throw tampered();
      const length = value.readUInt32BE(BINDING_BYTES);
      const rest = value.subarray(PREFIX_BYTES);
      // Anything after the plaintext may only be RFC 5649's zero padding (fewer than 8 bytes).
      if (length > rest.length || rest.length - length >= 8 || rest.subarray(length).some((b) => b !== 0)) {
        throw tampered();
      }
      return Buffer.from(rest.subarray(0, length));
    } finally {
      value.fill(0);
    }
  } finally {
    api.C_DestroyObject(session, object);
  }
}

function gcm(ks: TokenContext, iv: Buffer, aad: Buffer) {
  return {
    mechanism: ks.js.CKM_AES_GCM,
    parameter: { type: ks.js.CK_PARAMS_AES_GCM, iv, ivBits: iv.length * 8, aad, tagBits: GCM_TAG_BYTES * 8 },
  };
}

function binding(aad: Buffer): Buffer {
  return createHash('sha256').update('hush-hsm-binding\0').update(aad).digest().subarray(0, BINDING_BYTES);
}

function tampered(): HushError {
  return hushError('HSM_WRAPPED_BLOB_NOT_OPEN');
}

/** Which pkcs11js mechanism constant backs a wrap mechanism. */
export function mechanismConstant(ctx: TokenContext, mechanism: WrapMechanism): number {
  return mechanism === 'aes-gcm' ? ctx.js.CKM_AES_GCM : ctx.js.CKM_AES_KEY_WRAP_PAD;
}

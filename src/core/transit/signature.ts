import {
  constants,
  createHash,
  createHmac,
  hkdfSync,
  type KeyObject,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { type ExternalHash, type ExternalSign, signWithExternal } from '../crypto/external-signer.js';
import { hushError } from '../errors/index.js';
import type { PreparedVersion } from './key-material.js';
import { isRsa } from './key-types.js';
import { pkcs1SignDigest, pkcs1VerifyDigest, pssSignDigest, pssVerifyDigest } from './rsa-prehashed.js';

/** Hash algorithms of sign, verify, hmac and hash. */
export const TRANSIT_HASHES = ['sha2-256', 'sha2-384', 'sha2-512'] as const;
export type TransitHash = (typeof TRANSIT_HASHES)[number];

/** RSA signature schemes. */
export const RSA_SCHEMES = ['pss', 'pkcs1v15'] as const;
export type RsaScheme = (typeof RSA_SCHEMES)[number];

/** Throw HUSH_E_INVALID_INPUT unless `text` names an RSA signature scheme. */
export function parseRsaScheme(text: string): RsaScheme {
  if ((RSA_SCHEMES as readonly string[]).includes(text)) return text as RsaScheme;
  throw hushError('SIGNATURE_ALGORITHM_UNKNOWN', {
    scheme: text.slice(0, 20),
    rsaSchemes: RSA_SCHEMES.join(' or '),
  });
}

/** Options of sign and verify. */
export interface SignOptions {
  readonly hash?: TransitHash;
  /** The input is already a digest of `hash` (RSA keys only: Node signs ECDSA and Ed25519 over the message). */
  readonly prehashed?: boolean;
  /** RSA only; default `pss` (salt length = digest length). */
  readonly rsaScheme?: RsaScheme;
}

const NODE_HASH: Record<TransitHash, string> = {
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
};
const DIGEST_BYTES: Record<TransitHash, number> = { 'sha2-256': 32, 'sha2-384': 48, 'sha2-512': 64 };

/** Throw HUSH_E_INVALID_INPUT unless `text` names a hash. */
export function parseHash(text: string | undefined): TransitHash {
  if (text === undefined) return 'sha2-256';
  if ((TRANSIT_HASHES as readonly string[]).includes(text)) return text as TransitHash;
  throw hushError('HASH_TEXT_UNKNOWN', { text: text.slice(0, 20), transitHashes: TRANSIT_HASHES.join(', ') });
}

/** The digest `hash` of `input` (the transit hash operation). */
export function digest(hash: TransitHash, input: Uint8Array): Buffer {
  return createHash(NODE_HASH[hash]).update(input).digest();
}

function checkPrehash(v: PreparedVersion, opts: SignOptions, input: Uint8Array): void {
  if (!opts.prehashed) return;
  if (!isRsa(v.type)) {
    throw hushError('PREHASHED_INPUT_NEEDS_RSA_KEY', { type: v.type });
  }
  const hash = opts.hash ?? 'sha2-256';
  if (input.length !== DIGEST_BYTES[hash]) {
    throw hushError('PREHASHED_INPUT_BYTES_GOT', {
      hash,
      digestBytes: DIGEST_BYTES[hash],
      length: input.length,
    });
  }
}

function rsaOptions(key: KeyObject, opts: SignOptions) {
  return opts.rsaScheme === 'pkcs1v15'
    ? { key, padding: constants.RSA_PKCS1_PADDING }
    : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
}

/**
 * Sign `input` with one asymmetric key version. ECDSA signatures are DER (as `openssl dgst -verify` reads them),
 * Ed25519 raw 64 bytes, RSA PSS (salt = digest length) or PKCS#1 v1.5.
 */
export function signBytes(
  v: PreparedVersion,
  input: Uint8Array,
  opts: SignOptions = {},
  external?: ExternalSign,
): Buffer {
  checkPrehash(v, opts, input);
  const hash = opts.hash ?? 'sha2-256';
  if (v.hsm && v.publicKey) {
    if (!external) throw hushError('TRANSIT_HSM_SIGNER_UNAVAILABLE', { token: v.hsm.token });
    return signWithExternal(external, v.hsm, v.publicKey, input, {
      hash: NODE_HASH[hash] as ExternalHash,
      prehashed: opts.prehashed === true,
      rsaScheme: opts.rsaScheme ?? 'pss',
    });
  }
  if (!v.privateKey) throw new TypeError('signBytes needs an asymmetric version');
  if (v.type === 'ed25519') return sign(null, input, v.privateKey);
  if (!isRsa(v.type)) return sign(NODE_HASH[hash], input, v.privateKey);
  if (!opts.prehashed) return sign(NODE_HASH[hash], input, rsaOptions(v.privateKey, opts));
  if (opts.rsaScheme === 'pkcs1v15') return pkcs1SignDigest(v.privateKey, hash, input);
  return pssSignDigest(v.privateKey, hash, input);
}

/** Verify a signature made by {@link signBytes} (false on mismatch, never a throw for a bad signature). */
export function verifyBytes(
  v: PreparedVersion,
  input: Uint8Array,
  signature: Uint8Array,
  opts: SignOptions = {},
): boolean {
  if (!v.publicKey) throw new TypeError('verifyBytes needs an asymmetric version');
  checkPrehash(v, opts, input);
  const hash = opts.hash ?? 'sha2-256';
  try {
    if (v.type === 'ed25519') return verify(null, input, v.publicKey, signature);
    if (!isRsa(v.type)) return verify(NODE_HASH[hash], input, v.publicKey, signature);
    if (!opts.prehashed) return verify(NODE_HASH[hash], input, rsaOptions(v.publicKey, opts), signature);
    if (opts.rsaScheme === 'pkcs1v15') return pkcs1VerifyDigest(v.publicKey, hash, input, signature);
    return pssVerifyDigest(v.publicKey, hash, input, signature);
  } catch {
    return false;
  }
}

// Derived encryption subkeys are HKDF-SHA256(secret, no salt, info = caller's context): with the label as info and
// no salt, the context "hush transit hmac v1" would hand a caller the HMAC key as a cipher key. The label is the salt
// instead, so the HMAC subkey comes from another pseudorandom key than every derived subkey.
const HMAC_SALT = Buffer.from('hush transit hmac v1');

/** HMAC key of a version: the HMAC key itself, or a subkey of a symmetric encryption key (never the cipher key). */
function hmacKey(v: PreparedVersion): Buffer {
  if (!v.secret) throw new TypeError('hmac needs a symmetric version');
  return v.type === 'hmac'
    ? v.secret
    : Buffer.from(hkdfSync('sha256', v.secret, HMAC_SALT, Buffer.alloc(0), 32));
}

/** HMAC of `input` under one key version. */
export function hmacBytes(v: PreparedVersion, hash: TransitHash, input: Uint8Array): Buffer {
  return createHmac(NODE_HASH[hash], hmacKey(v)).update(input).digest();
}

/** Constant-time check of an HMAC made by {@link hmacBytes}. */
export function verifyHmacBytes(
  v: PreparedVersion,
  hash: TransitHash,
  input: Uint8Array,
  mac: Uint8Array,
): boolean {
  const expected = hmacBytes(v, hash, input);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}

import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { ExternalKeyRef } from '../crypto/external-signer.js';
import { isAsymmetric, type TransitKeyType } from './key-types.js';

/** Bytes of every symmetric transit key (AES-256, ChaCha20, HMAC). */
export const SYMMETRIC_KEY_BYTES = 32;

/**
 * New key material for a version of a key of `type`: 32 random bytes for symmetric and HMAC keys, a PKCS#8 DER
 * private key for asymmetric ones. Asynchronous, so an RSA-4096 generation does not stall a server.
 */
export async function generateMaterial(type: TransitKeyType): Promise<Buffer> {
  if (!isAsymmetric(type)) return randomBytes(SYMMETRIC_KEY_BYTES);
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, _publicKey: Buffer, privateKey: Buffer) =>
      err ? reject(err) : resolve(privateKey);
    const encoding = {
      privateKeyEncoding: { format: 'der', type: 'pkcs8' },
      publicKeyEncoding: { format: 'der', type: 'spki' },
    } as const;
    if (type === 'ed25519') generateKeyPair('ed25519', encoding, done);
    else if (type === 'ecdsa-p256' || type === 'ecdsa-p384')
      generateKeyPair('ec', { namedCurve: type === 'ecdsa-p256' ? 'P-256' : 'P-384', ...encoding }, done);
    else generateKeyPair('rsa', { modulusLength: Number(type.slice(4)), ...encoding }, done);
  });
}

/** One key version ready for use: parsed once, then reused by every operation on it. */
export interface PreparedVersion {
  readonly type: TransitKeyType;
  /** Symmetric and HMAC keys: the raw key. */
  readonly secret?: Buffer;
  /** Symmetric keys: the same key as a KeyObject (cheaper for ciphers than raw bytes on every call). */
  readonly secretKey?: KeyObject;
  readonly privateKey?: KeyObject;
  readonly publicKey?: KeyObject;
  /** The private key stays in this HSM key pair: signing goes through the HSM signer. */
  readonly hsm?: ExternalKeyRef;
}

/** A version whose private key an HSM holds: its public key (SPKI DER) verifies here. */
export function prepareHsmVersion(type: TransitKeyType, hsm: ExternalKeyRef, spki: Buffer): PreparedVersion {
  return { type, hsm, publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }) };
}

/** Parse stored material of a key version (see {@link generateMaterial}). */
export function prepareVersion(type: TransitKeyType, material: Buffer): PreparedVersion {
  if (!isAsymmetric(type)) return { type, secret: material, secretKey: createSecretKey(material) };
  const privateKey = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
  return { type, privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * A public key from outside (an exported PEM or JWK) as a version that verifies: Ed25519, ECDSA P-256/P-384 or RSA.
 * Undefined for any other key kind.
 */
export function preparePublicKey(publicKey: KeyObject): PreparedVersion | undefined {
  const kind = publicKey.asymmetricKeyType;
  const details = publicKey.asymmetricKeyDetails;
  if (kind === 'ed25519') return { type: 'ed25519', publicKey };
  if (kind === 'ec' && details?.namedCurve === 'prime256v1') return { type: 'ecdsa-p256', publicKey };
  if (kind === 'ec' && details?.namedCurve === 'secp384r1') return { type: 'ecdsa-p384', publicKey };
  // The RSA type names only the size; verification reads the modulus from the key itself.
  if (kind === 'rsa') return { type: 'rsa-2048', publicKey };
  return undefined;
}

import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import { MIN_RSA_BITS } from './rsa-config.js';

/** A checked RSA public key and its fingerprint. */
export interface RsaPublicKey {
  readonly key: KeyObject;
  readonly bits: number;
  /** `sha256:<hex>` over the DER SubjectPublicKeyInfo, as `openssl pkey -pubin -outform DER | sha256sum` prints. */
  readonly fingerprint: string;
}

/** The fingerprint of a public (or private) key: SHA-256 of its SPKI DER encoding. */
export function rsaFingerprint(key: KeyObject): string {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  const spki = pub.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/** Parse and vet the seal's public key: RSA (not RSA-PSS), >= 3072 bits, and truly public. HUSH_E_CONFIG otherwise. */
export function loadRsaPublicKey(pem: string): RsaPublicKey {
  if (/PRIVATE KEY-----/.test(pem)) {
    throw configError(
      'publicKeyPem holds a private key; give only the public key (openssl pkey -in key.pem -pubout) and keep the private key offline',
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw configError('publicKeyPem is not a PEM public key (expected -----BEGIN PUBLIC KEY-----)');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw configError(
      `publicKeyPem is a ${key.asymmetricKeyType ?? 'unknown'} key; the RSA seal needs a plain RSA key of at least ${MIN_RSA_BITS} bits`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw configError(
      `publicKeyPem is a ${bits}-bit RSA key; use at least ${MIN_RSA_BITS} bits (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096)`,
    );
  }
  return { key, bits, fingerprint: rsaFingerprint(key) };
}

/** Parse the operator's private key, telling a missing or wrong passphrase apart from a key that is not PEM. */
export function loadRsaPrivateKey(pem: string, passphrase: string | undefined): KeyObject {
  // Material can arrive from JSON over HTTP, so check the types the signature promises.
  if (typeof pem !== 'string' || (passphrase !== undefined && typeof passphrase !== 'string')) {
    throw hushError('PRIVATE_KEY_PASSPHRASE_MUST_GIVEN');
  }
  if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) {
    throw hushError('KEY_SUPPLIED_PUBLIC_KEY_UNSEALING');
  }
  const encrypted = /ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem);
  if (encrypted && !passphrase) {
    throw hushError('PRIVATE_KEY_ENCRYPTED');
  }
  try {
    return createPrivateKey(
      encrypted ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' },
    );
  } catch {
    if (encrypted) {
      throw hushError('PASSPHRASE_NOT_DECRYPT_PRIVATE_KEY');
    }
    throw hushError('PRIVATE_KEY_NOT_PEM_PRIVATE');
  }
}

function configError(message: string): HushError {
  return hushError('INVALID_RSA_SEAL_OPTIONS', { message });
}

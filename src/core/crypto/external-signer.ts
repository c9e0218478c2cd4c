import { createHash, type KeyObject } from 'node:crypto';

/** Where a private key held outside Hush lives: a configured HSM token (its id in `keys.hsmTokens`) and its label. */
export interface ExternalKeyRef {
  readonly token: string;
  readonly label: string;
}

/** The signature operation asked of the holder; RSA and ECDSA sign a digest computed here, EdDSA the message. */
export type ExternalSignScheme = 'ecdsa' | 'rsa-pss' | 'rsa-pkcs1' | 'eddsa';

/** Digests an external signer is asked to sign. */
export type ExternalHash = 'sha256' | 'sha384' | 'sha512';

export interface ExternalSignRequest {
  readonly scheme: ExternalSignScheme;
  readonly hash: ExternalHash;
  /**
   * `ecdsa` and `rsa-pss`: the digest. `rsa-pkcs1`: the DER DigestInfo of the digest (RFC 8017 9.2). `eddsa`: the
   * message itself (Ed25519 is not prehashed).
   */
  readonly data: Uint8Array;
}

/**
 * Sign with a private key that never leaves its holder (an HSM). Synchronous, as PKCS#11 C_Sign is, so the pure
 * signing code stays synchronous. ECDSA answers the raw `r || s` (PKCS#11's form); {@link signWithExternal} turns it
 * into DER.
 */
export type ExternalSign = (ref: ExternalKeyRef, request: ExternalSignRequest) => Buffer;

/** What to sign: the input, its hash, whether it is a digest already, and the RSA scheme. */
export interface ExternalSignInput {
  readonly hash: ExternalHash;
  readonly prehashed: boolean;
  readonly rsaScheme: 'pss' | 'pkcs1v15';
}

/** DER DigestInfo prefixes (RFC 8017 9.2 note 1), hex, for PKCS#1 v1.5 signatures of a digest. */
export const DIGEST_INFO: Record<ExternalHash, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/**
 * Sign `input` through `sign` with the key `ref`, whose public half is `publicKey`: the signature has exactly the
 * form node:crypto would give for the same key (DER ECDSA, raw Ed25519, RSA PSS with salt = digest length or PKCS#1
 * v1.5), so verification, openssl and JOSE never know the key lives in an HSM.
 */
export function signWithExternal(
  sign: ExternalSign,
  ref: ExternalKeyRef,
  publicKey: KeyObject,
  input: Uint8Array,
  opts: ExternalSignInput,
): Buffer {
  const kind = publicKey.asymmetricKeyType;
  if (kind === 'ed25519') return sign(ref, { scheme: 'eddsa', hash: opts.hash, data: input });
  const digest = opts.prehashed ? input : createHash(opts.hash).update(input).digest();
  if (kind === 'ec') return ecdsaDer(sign(ref, { scheme: 'ecdsa', hash: opts.hash, data: digest }));
  if (opts.rsaScheme === 'pkcs1v15') {
    const info = Buffer.concat([Buffer.from(DIGEST_INFO[opts.hash], 'hex'), digest]);
    return sign(ref, { scheme: 'rsa-pkcs1', hash: opts.hash, data: info });
  }
  return sign(ref, { scheme: 'rsa-pss', hash: opts.hash, data: digest });
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } from the raw `r || s` PKCS#11 returns. */
export function ecdsaDer(raw: Uint8Array): Buffer {
  const half = raw.length / 2;
  const int = (bytes: Uint8Array): Buffer => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const body = Buffer.from(bytes.subarray(i));
    const value = (body[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), body]) : body;
    return Buffer.concat([Buffer.of(0x02), derLength(value.length), value]);
  };
  const content = Buffer.concat([int(raw.subarray(0, half)), int(raw.subarray(half))]);
  return Buffer.concat([Buffer.of(0x30), derLength(content.length), content]);
}

function derLength(n: number): Buffer {
  return n < 0x80 ? Buffer.of(n) : Buffer.of(0x81, n);
}

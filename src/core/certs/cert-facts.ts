import { createHash, type KeyObject, X509Certificate } from 'node:crypto';
import { signatureAlgorithmName, signatureAlgorithmOid } from './der.js';
import { toPem } from './pem.js';

/** What Hush records about one certificate (all public: a certificate holds no secret). */
export interface CertFacts {
  /** Hex SHA-256 of the DER certificate: the inventory's key. */
  readonly fingerprintSha256: string;
  readonly fingerprintSha1: string;
  readonly subject: string;
  readonly issuer: string;
  /** DNS names and IP addresses from subjectAltName (`DNS:` / `IP Address:` prefixes dropped). */
  readonly sans: readonly string[];
  /** Serial number, upper-case hex. */
  readonly serial: string;
  /** `rsa`, `ec`, `ed25519`, `rsa-pss`, `dsa`... */
  readonly keyType: string;
  /** RSA/DSA modulus bits, or the curve's field size for EC keys. */
  readonly keyBits?: number;
  /** Named curve of an EC key (`prime256v1`, `secp384r1`...). */
  readonly curve?: string;
  readonly signatureAlgorithm: string;
  readonly signatureAlgorithmOid: string;
  /** ISO-8601 validity bounds. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly isCa: boolean;
  /** Issuer and subject are the same and the certificate verifies under its own key. */
  readonly selfSigned: boolean;
  /** Hex SHA-256 of the public key's SubjectPublicKeyInfo DER: links a private key to its certificates. */
  readonly spkiSha256: string;
  /** The certificate as PEM (public), so checks can run again later. */
  readonly pem: string;
}

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime192v1: 192,
  secp192k1: 192,
  secp224r1: 224,
  secp224k1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

/** Hex SHA-256 of a public key's SPKI DER (what {@link CertFacts.spkiSha256} holds). */
export function spkiSha256(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** An RFC 5280 validity text from X509Certificate (`Jan  1 00:00:00 2027 GMT`) as ISO-8601. */
function isoOf(text: string): string {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new RangeError(`unreadable certificate date "${text}"`);
  return new Date(ms).toISOString();
}

/** The SAN names, without their kind prefixes; other kinds (email, URI) are kept as written. */
function sansOf(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/,\s*/)
    .map((s) => s.replace(/^(DNS|IP Address):/, '').trim())
    .filter((s) => s.length > 0);
}

/**
 * Describe one parsed certificate. Throws RangeError only when the certificate's own fields are unreadable
 * (a caller reading untrusted input turns that into a per-item error).
 *
 * @example
 * describeCertificate(new X509Certificate(pemText)).notAfter; // '2027-01-01T00:00:00.000Z'
 */
export function describeCertificate(cert: X509Certificate): CertFacts {
  const der = cert.raw;
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const oid = signatureAlgorithmOid(der) ?? 'unknown';
  const curve = details.namedCurve;
  const keyBits = details.modulusLength ?? (curve ? CURVE_BITS[curve] : undefined);
  const selfIssued = cert.subject === cert.issuer;
  return {
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
    fingerprintSha1: createHash('sha1').update(der).digest('hex'),
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    sans: sansOf(cert.subjectAltName),
    serial: cert.serialNumber.toUpperCase(),
    keyType: key.asymmetricKeyType ?? 'unknown',
    ...(keyBits !== undefined ? { keyBits } : {}),
    ...(curve ? { curve } : {}),
    signatureAlgorithm: signatureAlgorithmName(oid),
    signatureAlgorithmOid: oid,
    notBefore: isoOf(cert.validFrom),
    notAfter: isoOf(cert.validTo),
    isCa: cert.ca,
    selfSigned: selfIssued && safeVerify(cert, key),
    spkiSha256: spkiSha256(key),
    pem: toPem('CERTIFICATE', der),
  };
}

function safeVerify(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.verify(key);
  } catch {
    return false;
  }
}

/** Parse PEM text of one certificate back (from a stored record). */
export function certificateOf(facts: Pick<CertFacts, 'pem'>): X509Certificate {
  return new X509Certificate(facts.pem);
}

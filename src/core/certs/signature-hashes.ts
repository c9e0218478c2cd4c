/**
 * The digest node:crypto's verify() takes for each X.509 signature algorithm (by OID) Hush accepts: SHA-2 RSA
 * PKCS#1 v1.5 and ECDSA, and Ed25519 (null: it hashes internally). An OID not listed (SHA-1, MD5...) is refused, so
 * CSRs and CRLs share one list of what is strong enough.
 */
export const SIGNATURE_HASHES: Readonly<Record<string, string | null>> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null,
};

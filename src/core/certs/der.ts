/** A DER element: its tag, and where its content starts and ends in the buffer. */
export interface DerElement {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

/** Read the element at `offset` (definite lengths only, as DER requires); undefined when truncated. */
export function readElement(der: Uint8Array, offset: number): DerElement | undefined {
  if (offset + 2 > der.length) return undefined;
  const tag = der[offset] as number;
  let len = der[offset + 1] as number;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (der[start + i] as number);
    start += n;
  }
  const end = start + len;
  return end > der.length ? undefined : { tag, start, end };
}

/** Dotted text of an OBJECT IDENTIFIER's content bytes. */
export function oidText(bytes: Uint8Array): string {
  const parts: number[] = [];
  let v = 0;
  for (const b of bytes) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/**
 * The signature algorithm OID of a DER certificate (Certificate ::= SEQUENCE { tbs, signatureAlgorithm, sig }),
 * or undefined when the bytes are not shaped like one. Node 20's X509Certificate does not expose it.
 */
export function signatureAlgorithmOid(der: Uint8Array): string | undefined {
  const cert = readElement(der, 0);
  if (cert?.tag !== 0x30) return undefined;
  const tbs = readElement(der, cert.start);
  if (tbs?.tag !== 0x30) return undefined;
  const alg = readElement(der, tbs.end);
  if (alg?.tag !== 0x30) return undefined;
  const oid = readElement(der, alg.start);
  if (oid?.tag !== 0x06) return undefined;
  return oidText(der.subarray(oid.start, oid.end));
}

/**
 * True when DER bytes look like a PKCS#12 bundle (PFX ::= SEQUENCE { version INTEGER 3, authSafe, macData }),
 * so a caller can say "needs a password" instead of "not a certificate".
 */
export function looksLikePkcs12(der: Uint8Array): boolean {
  const pfx = readElement(der, 0);
  if (pfx?.tag !== 0x30) return false;
  const version = readElement(der, pfx.start);
  return version?.tag === 0x02 && version.end - version.start === 1 && der[version.start] === 3;
}

const SIGNATURE_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '1.3.101.112': 'ed25519',
  '1.3.101.113': 'ed448',
};

/** A readable name for a signature algorithm OID (the OID itself when unknown). */
export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_NAMES[oid] ?? oid;
}

/** Signature algorithms whose hash is broken for certificate signatures (SHA-1, MD5). */
export function isWeakSignature(oid: string): boolean {
  return ['1.2.840.113549.1.1.4', '1.2.840.113549.1.1.5', '1.2.840.10045.4.1', '1.2.840.10040.4.3'].includes(
    oid,
  );
}

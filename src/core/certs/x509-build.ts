import { createHash, createPublicKey, KeyObject, sign } from 'node:crypto';
import {
  type ExternalHash,
  type ExternalKeyRef,
  type ExternalSign,
  signWithExternal,
} from '../crypto/external-signer.js';
import {
  bits,
  bool,
  explicit,
  implicit,
  nullValue,
  octets,
  oid,
  seq,
  set,
  smallInt,
  time,
  unsignedInt,
  utf8,
} from './der-write.js';
import { ipBytes } from './ip-address.js';

/** A distinguished name as ordered attributes: `CN`, `O`, `OU`, `C` (printed by openssl as `CN=...`). */
export type NameAttrs = readonly { readonly type: 'CN' | 'O' | 'OU' | 'C'; readonly value: string }[];

const NAME_OIDS = { CN: '2.5.4.3', O: '2.5.4.10', OU: '2.5.4.11', C: '2.5.4.6' } as const;

/** The DER Name (one attribute per RDN, UTF8String, as issuers and subjects must compare byte for byte). */
export function encodeName(attrs: NameAttrs): Uint8Array {
  return seq(...attrs.map((a) => set(seq(oid(NAME_OIDS[a.type]), utf8(a.value)))));
}

/** The signature algorithm a key signs with, and the digest node:crypto is asked for. */
export function signatureAlgorithmFor(issuer: IssuerKey): {
  readonly der: Uint8Array;
  readonly hash: string | null;
} {
  const key = issuer instanceof KeyObject ? issuer : issuer.publicKey;
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return { der: seq(oid('1.2.840.113549.1.1.11'), nullValue()), hash: 'sha256' };
  if (type === 'ed25519') return { der: seq(oid('1.3.101.112')), hash: null };
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'secp384r1') return { der: seq(oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
    if (curve === 'prime256v1') return { der: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
  }
  throw new RangeError(`cannot sign certificates with a ${type} key`);
}

/** A key whose private half signs elsewhere (an HSM): its public key, and how to sign with it. */
export interface ExternalIssuerKey {
  readonly publicKey: KeyObject;
  sign(hash: string | null, data: Uint8Array): Uint8Array;
}

/** What signs certificates and CRLs: a private key here, or one an HSM holds. */
export type IssuerKey = KeyObject | ExternalIssuerKey;

/** The public key of an issuer key (a private KeyObject's public half, or the external key's). */
export function issuerPublicKey(key: IssuerKey): KeyObject {
  return key instanceof KeyObject ? createPublicKey(key) : key.publicKey;
}

/**
 * An issuer key held outside Hush: certificates and CRLs are signed through `sign` with the key `ref`, RSA with
 * PKCS#1 v1.5 (sha256WithRSAEncryption, as {@link signatureAlgorithmFor} names it).
 */
export function externalIssuerKey(
  sign: ExternalSign,
  ref: ExternalKeyRef,
  publicKey: KeyObject,
): ExternalIssuerKey {
  return {
    publicKey,
    sign: (hash, data) =>
      signWithExternal(sign, ref, publicKey, data, {
        hash: (hash ?? 'sha256') as ExternalHash,
        prehashed: false,
        rsaScheme: 'pkcs1v15',
      }),
  };
}

/** Sign `tbs` and wrap it as Certificate / CertificateList: SEQUENCE { tbs, algorithm, BIT STRING signature }. */
export function signedStructure(tbs: Uint8Array, key: IssuerKey): Uint8Array {
  const alg = signatureAlgorithmFor(key);
  const signature = key instanceof KeyObject ? sign(alg.hash, tbs, key) : key.sign(alg.hash, tbs);
  return seq(tbs, alg.der, bits(signature));
}

/** SubjectKeyIdentifier: SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1; an identifier, not security). */
export function keyIdentifier(spkiDer: Uint8Array): Uint8Array {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, BIT STRING }: hash the whole SPKI, which is as unique.
  return createHash('sha1').update(spkiDer).digest().subarray(0, 20);
}

/** Subject alternative names: DNS names, IP addresses, URIs. */
export interface AltNames {
  readonly dns?: readonly string[];
  readonly ip?: readonly string[];
  readonly uri?: readonly string[];
}

const ext = (id: string, critical: boolean, value: Uint8Array) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** What a certificate says: everything but the issuer's key. */
export interface CertificateSpec {
  /** The serial's big-endian bytes (positive, at most 20 bytes). */
  readonly serial: Uint8Array;
  readonly issuer: NameAttrs;
  readonly subject: NameAttrs;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The subject's public key, SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  /** The issuer's SubjectPublicKeyInfo DER (for the authority key identifier); the subject's own when self-signed. */
  readonly issuerSpki: Uint8Array;
  /** A CA certificate (basicConstraints cA, keyCertSign and cRLSign), with an optional path length. */
  readonly ca?: { readonly pathLen?: number };
  readonly altNames?: AltNames;
  /** Extended key usages for a leaf: server and/or client authentication. */
  readonly usages?: readonly ('server' | 'client')[];
  /** CRL distribution point URLs. */
  readonly crlUrls?: readonly string[];
}

/** The extensions of a certificate, in the order openssl prints them. */
function extensions(spec: CertificateSpec): Uint8Array {
  const list: Uint8Array[] = [];
  if (spec.ca) {
    const pathLen = spec.ca.pathLen === undefined ? [] : [smallInt(spec.ca.pathLen)];
    list.push(ext('2.5.29.19', true, seq(bool(true), ...pathLen)));
    // keyCertSign (bit 5) and cRLSign (bit 6): 0000 0110 with 1 unused bit.
    list.push(ext('2.5.29.15', true, Uint8Array.of(0x03, 0x02, 0x01, 0x06)));
  } else {
    list.push(ext('2.5.29.19', true, seq()));
    // digitalSignature (bit 0), plus keyEncipherment (bit 2) for RSA only: RFC 5480 and RFC 8410 forbid it on EC
    // and Ed25519 keys, which cannot encipher (1010 0000 with 5 unused bits, or 1000 0000 with 7).
    const rsa =
      createPublicKey({ key: Buffer.from(spec.spki), format: 'der', type: 'spki' }).asymmetricKeyType ===
      'rsa';
    list.push(
      ext(
        '2.5.29.15',
        true,
        rsa ? Uint8Array.of(0x03, 0x02, 0x05, 0xa0) : Uint8Array.of(0x03, 0x02, 0x07, 0x80),
      ),
    );
    const usages = spec.usages ?? ['server'];
    const ids = usages.map((u) => oid(u === 'server' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2'));
    list.push(ext('2.5.29.37', false, seq(...ids)));
  }
  list.push(ext('2.5.29.14', false, octets(keyIdentifier(spec.spki))));
  list.push(ext('2.5.29.35', false, seq(implicit(0, keyIdentifier(spec.issuerSpki)))));
  const alt = spec.altNames ?? {};
  const names = [
    ...(alt.dns ?? []).map((d) => implicit(2, new TextEncoder().encode(d))),
    ...(alt.ip ?? []).map((ip) => implicit(7, ipBytes(ip))),
    ...(alt.uri ?? []).map((u) => implicit(6, new TextEncoder().encode(u))),
  ];
  // An empty subject leaves the SANs as the only names: RFC 5280 4.2.1.6 then makes the extension critical.
  if (names.length) list.push(ext('2.5.29.17', spec.subject.length === 0, seq(...names)));
  if (spec.crlUrls?.length) {
    // DistributionPoint { distributionPoint [0] (a CHOICE, so explicit) { fullName [0] IMPLICIT GeneralNames } }:
    // both tags are constructed context tags holding the URI GeneralName directly.
    const points = spec.crlUrls.map((u) =>
      seq(explicit(0, explicit(0, implicit(6, new TextEncoder().encode(u))))),
    );
    list.push(ext('2.5.29.31', false, seq(...points)));
  }
  return explicit(3, seq(...list));
}

/** The DER certificate for `spec`, signed by `issuerKey`. */
export function buildCertificate(spec: CertificateSpec, issuerKey: IssuerKey): Uint8Array {
  if (spec.serial.length === 0 || spec.serial.length > 20) throw new RangeError('a serial is 1..20 bytes');
  const tbs = seq(
    explicit(0, smallInt(2)),
    unsignedInt(spec.serial),
    signatureAlgorithmFor(issuerKey).der,
    encodeName(spec.issuer),
    seq(time(spec.notBefore), time(spec.notAfter)),
    encodeName(spec.subject),
    spec.spki,
    extensions(spec),
  );
  return signedStructure(tbs, issuerKey);
}

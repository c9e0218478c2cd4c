import { explicit, implicit, octets, oid, seq, smallInt, time, unsignedInt } from './der-write.js';
import {
  encodeName,
  type IssuerKey,
  keyIdentifier,
  type NameAttrs,
  signatureAlgorithmFor,
  signedStructure,
} from './x509-build.js';

/** One revoked certificate: its serial (big-endian bytes) and when it was revoked. */
export interface RevokedEntry {
  readonly serial: Uint8Array;
  readonly revokedAt: Date;
}

/** What a CRL says; the issuer's key signs it. */
export interface CrlSpec {
  readonly issuer: NameAttrs;
  readonly issuerSpki: Uint8Array;
  /** Monotonic CRL number (RFC 5280 5.2.3), so a relying party can tell a newer list. */
  readonly number: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revoked: readonly RevokedEntry[];
}

/**
 * A v2 DER CertificateList (RFC 5280 5.1) with the authority key identifier and CRL number extensions; the
 * revokedCertificates field is left out when empty, as the RFC requires.
 */
export function buildCrl(spec: CrlSpec, issuerKey: IssuerKey): Uint8Array {
  const entries = spec.revoked.map((r) => seq(unsignedInt(r.serial), time(r.revokedAt)));
  const exts = seq(
    seq(oid('2.5.29.35'), octets(seq(implicit(0, keyIdentifier(spec.issuerSpki))))),
    seq(oid('2.5.29.20'), octets(smallInt(spec.number))),
  );
  const tbs = seq(
    smallInt(1),
    signatureAlgorithmFor(issuerKey).der,
    encodeName(spec.issuer),
    time(spec.thisUpdate),
    time(spec.nextUpdate),
    ...(entries.length ? [seq(...entries)] : []),
    explicit(0, exts),
  );
  return signedStructure(tbs, issuerKey);
}

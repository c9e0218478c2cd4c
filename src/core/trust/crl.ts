import { type KeyObject, verify, type X509Certificate } from 'node:crypto';
import { type DerElement, oidText, readElement } from '../certs/der.js';
import { SIGNATURE_HASHES } from '../certs/signature-hashes.js';
import { hushError } from '../errors/index.js';

/** A parsed X.509 CRL (RFC 5280 section 5): who signed it, when, and the serials it revokes. */
export interface ParsedCrl {
  readonly der: Buffer;
  readonly thisUpdate: string;
  readonly nextUpdate?: string;
  /** Revoked serial numbers, upper-case hex without leading zeros. */
  readonly revoked: readonly string[];
  readonly signatureOid: string;
  /** The signed TBSCertList bytes and the signature over them. */
  readonly tbs: Buffer;
  readonly signature: Buffer;
}

/** Serial numbers compare as upper-case hex without leading zeros (Node prints them that way, DER may pad one). */
export const normalSerial = (hex: string): string => hex.toUpperCase().replace(/^0+(?=.)/, '');

/** UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) to ISO-8601. */
function timeOf(der: Buffer, el: DerElement): string | undefined {
  const text = der.subarray(el.start, el.end).toString('latin1');
  const m =
    el.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : el.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!m) return undefined;
  const year = el.tag === 0x17 ? (Number(m[1]) < 50 ? 2000 : 1900) + Number(m[1]) : Number(m[1]);
  return new Date(
    Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
  ).toISOString();
}

/** Every element of a constructed element's content, in order. */
function children(der: Buffer, parent: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const el = readElement(der, at);
    if (!el || el.end > parent.end) return [];
    out.push(el);
    at = el.end;
  }
  return out;
}

/**
 * Parse a DER CRL. HUSH_E_INVALID_INPUT (naming `source`) when the bytes are not shaped like one. The signature is
 * not checked here: {@link crlSignedBy} does that against a candidate issuer.
 */
export function parseCrl(der: Buffer, source: string): ParsedCrl {
  const bad = (problem: string) => hushError('CRL_INVALID', { source, problem });
  const top = readElement(der, 0);
  if (top?.tag !== 0x30 || top.end !== der.length) throw bad('it is not a DER CRL');
  const [tbsEl, algEl, sigEl] = children(der, top);
  if (tbsEl?.tag !== 0x30 || algEl?.tag !== 0x30 || sigEl?.tag !== 0x03) throw bad('it is not a DER CRL');
  const oidEl = readElement(der, algEl.start);
  if (oidEl?.tag !== 0x06) throw bad('no signature algorithm');
  const fields = children(der, tbsEl);
  let i = fields[0]?.tag === 0x02 ? 1 : 0; // version (v2) is optional
  i += 2; // signature algorithm, issuer Name
  const thisEl = fields[i];
  const thisUpdate = thisEl ? timeOf(der, thisEl) : undefined;
  if (!thisUpdate) throw bad('no thisUpdate');
  i++;
  const maybeNext = fields[i];
  const nextUpdate =
    maybeNext && (maybeNext.tag === 0x17 || maybeNext.tag === 0x18) ? timeOf(der, maybeNext) : undefined;
  if (nextUpdate) i++;
  const revoked: string[] = [];
  const list = fields[i];
  if (list?.tag === 0x30) {
    for (const entry of children(der, list)) {
      const serial = readElement(der, entry.start);
      if (serial?.tag !== 0x02) throw bad('a revoked entry has no serial number');
      revoked.push(normalSerial(der.subarray(serial.start, serial.end).toString('hex')));
    }
  }
  return {
    der,
    thisUpdate,
    ...(nextUpdate ? { nextUpdate } : {}),
    revoked,
    signatureOid: oidText(der.subarray(oidEl.start, oidEl.end)),
    tbs: der.subarray(top.start, tbsEl.end), // the first child starts where the outer content does
    // BIT STRING: the first content byte counts unused bits (0 for signatures).
    signature: der.subarray(sigEl.start + 1, sigEl.end),
  };
}

/** True when `issuer`'s key made the CRL's signature (SHA-2 RSA/ECDSA or Ed25519; older algorithms never pass). */
export function crlSignedBy(crl: ParsedCrl, issuer: X509Certificate | KeyObject): boolean {
  if (!(crl.signatureOid in SIGNATURE_HASHES)) return false;
  const key = 'publicKey' in issuer ? issuer.publicKey : issuer;
  try {
    return verify(SIGNATURE_HASHES[crl.signatureOid] ?? null, crl.tbs, key, crl.signature);
  } catch {
    return false;
  }
}

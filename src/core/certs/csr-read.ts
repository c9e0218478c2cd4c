import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { type DerElement, oidText, readElement } from './der.js';
import { ipText } from './ip-address.js';
import { SIGNATURE_HASHES } from './signature-hashes.js';

/** What a certificate signing request asks for, once its self-signature checked out. */
export interface CsrRequest {
  readonly publicKey: KeyObject;
  /** SubjectPublicKeyInfo DER, as it goes into the certificate. */
  readonly spki: Uint8Array;
  readonly commonName?: string;
  readonly dns: readonly string[];
  readonly ip: readonly string[];
}

/** Why a CSR was refused (the caller turns it into a coded error). */
export class CsrError extends Error {}

function children(der: Uint8Array, el: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let at = el.start; at < el.end; ) {
    const c = readElement(der, at);
    if (!c || c.end > el.end) throw new CsrError('malformed DER inside the request');
    out.push(c);
    at = c.end;
  }
  return out;
}

const need = (el: DerElement | undefined, tag: number, what: string): DerElement => {
  if (el?.tag !== tag) throw new CsrError(`expected ${what}`);
  return el;
};

/** Where an element's header begins: `start` minus its header length (recomputed from the content length). */
function headerStart(el: DerElement): number {
  const len = el.end - el.start;
  const lenOctets = len < 0x80 ? 1 : 1 + Math.ceil(Math.log2(len + 1) / 8);
  return el.start - 1 - lenOctets;
}

const text = (der: Uint8Array, el: DerElement) => new TextDecoder().decode(der.subarray(el.start, el.end));

/** The SAN DNS names and IP addresses of an extensionRequest attribute's extensions. */
function requestedNames(der: Uint8Array, attrs: DerElement | undefined, dns: string[], ip: string[]): void {
  if (!attrs) return;
  for (const attr of children(der, attrs)) {
    const [type, values] = children(der, need(attr, 0x30, 'an attribute'));
    if (!type || oidText(der.subarray(type.start, type.end)) !== '1.2.840.113549.1.9.14' || !values) continue;
    const exts = children(der, values)[0];
    for (const e of exts ? children(der, need(exts, 0x30, 'extensions')) : []) {
      const parts = children(der, e);
      const id = parts[0];
      const value = parts[parts.length - 1];
      if (!id || !value || oidText(der.subarray(id.start, id.end)) !== '2.5.29.17') continue;
      const names = readElement(der, value.start);
      for (const n of names ? children(der, need(names, 0x30, 'general names')) : []) {
        if (n.tag === 0x82) dns.push(text(der, n));
        else if (n.tag === 0x87) {
          const text = ipText(der.subarray(n.start, n.end));
          if (text === undefined) throw new CsrError('an IP name is 4 or 16 bytes');
          ip.push(text);
        } else throw new CsrError('only DNS and IP subject alternative names can be requested');
      }
    }
  }
}

/**
 * Read a PKCS#10 request (DER) and check its self-signature, so a request cannot name a key its sender does not
 * hold. Throws {@link CsrError} with a readable reason.
 *
 * @example
 * const req = readCsr(pemToDer(csrPem)); // { publicKey, spki, commonName, dns, ip }
 */
export function readCsr(der: Uint8Array): CsrRequest {
  const top = need(readElement(der, 0), 0x30, 'a certification request (SEQUENCE)');
  if (top.end !== der.length) throw new CsrError('trailing bytes after the request');
  const [info, alg, sig] = children(der, top);
  const infoEl = need(info, 0x30, 'certificationRequestInfo');
  const algOid = children(der, need(alg, 0x30, 'a signature algorithm'))[0];
  const sigEl = need(sig, 0x03, 'a signature BIT STRING');
  const [, subject, spkiEl, attrs] = children(der, infoEl);
  const spki = der.slice(headerStart(need(spkiEl, 0x30, 'a public key')), (spkiEl as DerElement).end);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new CsrError('the public key is not readable');
  }
  const algName = algOid ? oidText(der.subarray(algOid.start, algOid.end)) : '';
  if (!(algName in SIGNATURE_HASHES)) throw new CsrError(`unsupported signature algorithm ${algName}`);
  const signed = der.subarray(headerStart(infoEl), infoEl.end);
  const signature = der.subarray(sigEl.start + 1, sigEl.end);
  if (!verify(SIGNATURE_HASHES[algName] ?? null, signed, publicKey, signature))
    throw new CsrError('the request signature does not verify');
  let commonName: string | undefined;
  for (const rdn of children(der, need(subject, 0x30, 'a subject name'))) {
    for (const atv of children(der, rdn)) {
      const [type, value] = children(der, atv);
      if (type && value && oidText(der.subarray(type.start, type.end)) === '2.5.4.3')
        commonName = text(der, value);
    }
  }
  const dns: string[] = [];
  const ip: string[] = [];
  requestedNames(der, attrs?.tag === 0xa0 ? attrs : undefined, dns, ip);
  return { publicKey, spki, ...(commonName ? { commonName } : {}), dns, ip };
}

import { readElement } from './der.js';

/** What a certificate says about issuing others: basicConstraints and the keyCertSign bit of keyUsage. */
export interface CaConstraints {
  /** basicConstraints cA (false when the extension is absent). */
  readonly ca: boolean;
  /** basicConstraints pathLenConstraint: how many intermediate CAs may follow below it; undefined = no limit. */
  readonly pathLen?: number;
  /** keyUsage keyCertSign; undefined when the certificate has no keyUsage extension (then usage is unrestricted). */
  readonly keyCertSign?: boolean;
}

const BASIC_CONSTRAINTS = Uint8Array.of(0x55, 0x1d, 0x13); // 2.5.29.19
const KEY_USAGE = Uint8Array.of(0x55, 0x1d, 0x0f); // 2.5.29.15

/** The children of the constructed element `el` of `der`. */
function children(der: Uint8Array, el: { start: number; end: number }) {
  const out = [];
  for (let at = el.start; at < el.end; ) {
    const child = readElement(der, at);
    if (!child || child.end > el.end) break;
    out.push(child);
    at = child.end;
  }
  return out;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Read basicConstraints and keyUsage from a DER certificate: Node 20's X509Certificate exposes `ca` but neither the
 * path length nor the key usage bits (its `keyUsage` is the *extended* key usage), and a chain check needs all three.
 * Returns undefined when the bytes are not shaped like a certificate.
 *
 * @example
 * caConstraints(new X509Certificate(pem).raw); // { ca: true, pathLen: 0, keyCertSign: true }
 */
export function caConstraints(der: Uint8Array): CaConstraints | undefined {
  const cert = readElement(der, 0);
  if (cert?.tag !== 0x30) return undefined;
  const tbs = readElement(der, cert.start);
  if (tbs?.tag !== 0x30) return undefined;
  const exts = children(der, tbs).find((c) => c.tag === 0xa3);
  const list = exts && readElement(der, exts.start);
  let ca = false;
  let pathLen: number | undefined;
  let keyCertSign: boolean | undefined;
  for (const ext of list?.tag === 0x30 ? children(der, list) : []) {
    const [oid, ...rest] = children(der, ext);
    const value = rest[rest.length - 1];
    if (oid?.tag !== 0x06 || value?.tag !== 0x04) continue;
    const oidBytes = der.subarray(oid.start, oid.end);
    const inner = readElement(der, value.start);
    if (same(oidBytes, BASIC_CONSTRAINTS) && inner?.tag === 0x30) {
      for (const field of children(der, inner)) {
        if (field.tag === 0x01) ca = der[field.start] !== 0;
        if (field.tag === 0x02 && field.end - field.start <= 4) {
          pathLen = 0;
          for (let i = field.start; i < field.end; i++) pathLen = pathLen * 256 + (der[i] as number);
        }
      }
    }
    if (same(oidBytes, KEY_USAGE) && inner?.tag === 0x03) {
      // BIT STRING: one byte of unused-bit count, then bits from bit 0 (0x80); keyCertSign is bit 5 (0x04).
      keyCertSign = inner.end - inner.start > 1 && ((der[inner.start + 1] as number) & 0x04) !== 0;
    }
  }
  return {
    ca,
    ...(pathLen === undefined ? {} : { pathLen }),
    ...(keyCertSign === undefined ? {} : { keyCertSign }),
  };
}

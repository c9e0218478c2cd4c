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

type Element = { start: number; end: number };

/**
 * The children of the constructed element `el` of `der`, or undefined unless they fill it exactly: a chain check
 * must not skip what it cannot read (an unread keyUsage would count as "no restriction").
 */
function children(der: Uint8Array, el: Element) {
  const out = [];
  for (let at = el.start; at < el.end; ) {
    const child = readElement(der, at);
    if (!child || child.end > el.end) return undefined;
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The one element filling `el` exactly (an extension's OCTET STRING value), or undefined. */
function only(der: Uint8Array, el: Element) {
  const inner = children(der, el);
  return inner?.length === 1 ? inner[0] : undefined;
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
  const fields = children(der, tbs);
  if (!fields) return undefined;
  const exts = fields.find((c) => c.tag === 0xa3);
  const list = exts && only(der, exts);
  if (exts && list?.tag !== 0x30) return undefined;
  let ca = false;
  let pathLen: number | undefined;
  let keyCertSign: boolean | undefined;
  const extensions = list ? children(der, list) : [];
  if (!extensions) return undefined;
  for (const ext of extensions) {
    const parts = children(der, ext);
    if (!parts) return undefined;
    const [oid, ...rest] = parts;
    const value = rest[rest.length - 1];
    if (oid?.tag !== 0x06 || value?.tag !== 0x04) return undefined;
    const oidBytes = der.subarray(oid.start, oid.end);
    const isBasic = same(oidBytes, BASIC_CONSTRAINTS);
    const isUsage = same(oidBytes, KEY_USAGE);
    if (!isBasic && !isUsage) continue;
    const inner = only(der, value);
    if (isBasic) {
      const basic = inner?.tag === 0x30 ? children(der, inner) : undefined;
      if (!basic) return undefined;
      for (const field of basic) {
        if (field.tag === 0x01) ca = field.end > field.start && der[field.start] !== 0;
        if (field.tag === 0x02) {
          // A negative, empty or over-long INTEGER is no path length: fail closed rather than read it as a larger
          // limit (0xff would be 255) or as none at all.
          const len = field.end - field.start;
          if (len === 0 || len > 4 || ((der[field.start] as number) & 0x80) !== 0) return undefined;
          pathLen = 0;
          for (let i = field.start; i < field.end; i++) pathLen = pathLen * 256 + (der[i] as number);
        }
      }
    } else {
      if (inner?.tag !== 0x03) return undefined;
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

/**
 * A small DER writer: just the ASN.1 types certificates, CRLs and their extensions need. Node's crypto signs and
 * verifies but cannot build a certificate, so the bytes to sign are assembled here. Every function returns the
 * whole element (tag, definite length, content).
 */

/** The DER length octets for `n` content bytes (short form under 128, long form above). */
function lengthOctets(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One element from a tag byte and its content. */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = lengthOctets(content.length);
  const out = new Uint8Array(1 + len.length + content.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const seq = (...items: readonly Uint8Array[]) => tlv(0x30, concat(items));
export const set = (...items: readonly Uint8Array[]) => tlv(0x31, concat(items));
export const octets = (bytes: Uint8Array) => tlv(0x04, bytes);
export const nullValue = () => Uint8Array.of(0x05, 0x00);
export const bool = (v: boolean) => Uint8Array.of(0x01, 0x01, v ? 0xff : 0x00);
export const utf8 = (text: string) => tlv(0x0c, new TextEncoder().encode(text));
/** An explicit context tag `[n]` around an element (constructed). */
export const explicit = (n: number, inner: Uint8Array) => tlv(0xa0 | n, inner);
/** An implicit primitive context tag `[n]` over raw content (GeneralName dNSName, iPAddress, URI). */
export const implicit = (n: number, content: Uint8Array) => tlv(0x80 | n, content);
/** A BIT STRING of whole bytes (no unused bits). */
export const bits = (bytes: Uint8Array) => tlv(0x03, concat([Uint8Array.of(0), bytes]));

/** A non-negative INTEGER from its big-endian magnitude (a leading zero added when the top bit is set). */
export function unsignedInt(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const trimmed = magnitude.subarray(i);
  const body = trimmed.length === 0 ? Uint8Array.of(0) : trimmed;
  return tlv(0x02, (body[0] as number) & 0x80 ? concat([Uint8Array.of(0), body]) : body);
}

/** A small non-negative INTEGER (versions, path lengths, reason codes). */
export function smallInt(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`smallInt takes a non-negative integer, got ${n}`);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return unsignedInt(Uint8Array.from(bytes));
}

/** An ENUMERATED (CRL reason codes). */
export const enumerated = (n: number) => Uint8Array.of(0x0a, 0x01, n);

/** An OBJECT IDENTIFIER from its dotted text. */
export function oid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number);
  if (parts.length < 2 || parts.some((p) => !Number.isSafeInteger(p) || p < 0))
    throw new RangeError(`not a dotted OID: ${dotted}`);
  const [a, b, ...rest] = parts as [number, number, ...number[]];
  const out: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A certificate/CRL Time: UTCTime for years 1950..2049 and GeneralizedTime otherwise, as RFC 5280 4.1.2.5 requires
 * (whole seconds, Zulu).
 */
export function time(at: Date): Uint8Array {
  const y = at.getUTCFullYear();
  const rest = `${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}Z`;
  const utc = y >= 1950 && y < 2050;
  const text = utc ? `${pad(y % 100)}${rest}` : `${pad(y, 4)}${rest}`;
  return tlv(utc ? 0x17 : 0x18, new TextEncoder().encode(text));
}

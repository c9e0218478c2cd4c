import { describe, expect, it } from 'vitest';
import { caConstraints } from './ca-constraints.js';

/** A definite-length DER element. */
const tlv = (tag: number, ...content: Uint8Array[]): Buffer => {
  const body = Buffer.concat(content);
  const len =
    body.length < 0x80 ? Buffer.of(body.length) : Buffer.of(0x82, body.length >> 8, body.length & 0xff);
  return Buffer.concat([Buffer.of(tag), len, body]);
};
const ext = (oid: number[], value: Uint8Array) => tlv(0x30, tlv(0x06, Buffer.from(oid)), tlv(0x04, value));
const BC = [0x55, 0x1d, 0x13];
const KU = [0x55, 0x1d, 0x0f];
/** A certificate shape: SEQUENCE { tbs SEQUENCE { version, serial, [3] { extensions } }, alg, sig }. */
const cert = (...exts: Uint8Array[]) =>
  tlv(
    0x30,
    tlv(0x30, tlv(0xa0, tlv(0x02, Buffer.of(2))), tlv(0x02, Buffer.of(1)), tlv(0xa3, tlv(0x30, ...exts))),
    tlv(0x30, tlv(0x06, Buffer.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02))),
    tlv(0x03, Buffer.of(0)),
  );
const basic = (pathLen?: Uint8Array) =>
  ext(BC, tlv(0x30, tlv(0x01, Buffer.of(0xff)), ...(pathLen ? [tlv(0x02, pathLen)] : [])));
const digitalSignatureOnly = ext(KU, tlv(0x03, Buffer.of(7, 0x80)));

describe('caConstraints fails closed on certificates it cannot read exactly', () => {
  it('reads a well-formed CA', () => {
    expect(caConstraints(cert(basic(Buffer.of(1)), ext(KU, tlv(0x03, Buffer.of(1, 0x06)))))).toEqual({
      ca: true,
      pathLen: 1,
      keyCertSign: true,
    });
    expect(caConstraints(cert(basic(), digitalSignatureOnly))).toEqual({ ca: true, keyCertSign: false });
  });

  it('a negative or oversized pathLenConstraint is not read as a larger or absent limit', () => {
    expect(caConstraints(cert(basic(Buffer.of(0xff))))).toBeUndefined(); // -1, read as 255 before
    expect(caConstraints(cert(basic(Buffer.of(0, 0, 0, 0, 0))))).toBeUndefined(); // read as "no limit" before
    expect(caConstraints(cert(basic(Buffer.alloc(0))))).toBeUndefined();
  });

  it('an extension it cannot parse (indefinite length) does not hide the keyUsage that forbids issuing', () => {
    const indefinite = Buffer.concat([
      Buffer.of(0x30, 0x80),
      digitalSignatureOnly.subarray(2),
      Buffer.of(0, 0),
    ]);
    expect(caConstraints(cert(basic(), indefinite))).toBeUndefined();
    // An element whose length runs past its parent.
    const overlong = Buffer.from(digitalSignatureOnly);
    overlong[1] = (overlong[1] as number) + 3;
    expect(caConstraints(cert(basic(), overlong, Buffer.of(0, 0, 0)))).toBeUndefined();
  });

  it('huge declared lengths and truncated input answer undefined, never throw', () => {
    expect(caConstraints(Buffer.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30))).toBeUndefined();
    expect(caConstraints(Buffer.of(0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9))).toBeUndefined();
    const good = cert(basic(Buffer.of(1)));
    for (let n = 0; n < good.length; n++) expect(() => caConstraints(good.subarray(0, n))).not.toThrow();
  });
});

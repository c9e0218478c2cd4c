/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as used by zip, PNG and GitHub's token checksums. */
// One encoder for every call: a token is checksummed on every request.
const ENCODER = new TextEncoder();

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 of `data` (a string is hashed as its UTF-8 bytes), as an unsigned 32-bit integer.
 *
 * @example
 * crc32('123456789'); // 0xcbf43926
 */
export function crc32(data: Uint8Array | string): number {
  const bytes = typeof data === 'string' ? ENCODER.encode(data) : data;
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

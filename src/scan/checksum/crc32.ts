/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum GitHub, npm and Hush tokens carry. */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

const encoder = new TextEncoder();

/**
 * CRC-32 of the UTF-8 bytes of `input` (or of the bytes themselves), as an unsigned 32-bit integer.
 * @example crc32('123456789') === 0xcbf43926
 */
export function crc32(input: string | Uint8Array): number {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  let crc = 0xffffffff;
  for (const byte of bytes) crc = TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

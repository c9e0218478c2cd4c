function str(block: Uint8Array, start: number, len: number): string {
  let end = start;
  while (end < start + len && block[end] !== 0) end++;
  return Buffer.from(block.subarray(start, end)).toString('utf8');
}

function octal(block: Uint8Array, start: number, len: number): number {
  const first = block[start]!;
  if (first & 0x80) {
    // GNU base-256 size for entries over 8 GiB.
    let n = 0;
    for (let i = start + 1; i < start + len; i++) n = n * 256 + block[i]!;
    return n;
  }
  const s = str(block, start, len).trim();
  return s === '' ? 0 : Number.parseInt(s, 8);
}

/** The fields of one tar header block that a reader needs (name with the ustar prefix applied). */
export function tarHeader(h: Uint8Array): { name: string; size: number; type: string } {
  let name = str(h, 0, 100);
  const prefix = str(h, 345, 155);
  if (prefix && str(h, 257, 5) === 'ustar') name = `${prefix}/${name}`;
  return { name, size: octal(h, 124, 12), type: String.fromCharCode(h[156]!) };
}

/** The `path` record of a pax extended header, if any. */
export function paxPath(data: Uint8Array): string | undefined {
  const text = Buffer.from(data).toString('utf8');
  const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
  return m?.[1];
}

/** True when the bytes start with a tar header (checksum verified), so archives are recognised by content. */
export function isTar(bytes: Uint8Array): boolean {
  if (bytes.length < 512) return false;
  const magic = str(bytes, 257, 5);
  if (magic === 'ustar') return true;
  const stored = octal(bytes, 148, 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : bytes[i]!;
  return stored === sum && sum > 256;
}

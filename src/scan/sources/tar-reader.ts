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

/**
 * The records of a pax extended header (`<length> <key>=<value>\n`, the length counting the whole record, so values
 * may hold newlines). A malformed record ends the parse: what came before it is kept.
 */
export function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const length = space > at ? Number(bytes.toString('latin1', at, space)) : Number.NaN;
    if (!Number.isSafeInteger(length) || length <= space - at || at + length > bytes.length) break;
    const record = bytes.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return out;
}

/**
 * The name and size a pax header gives the next entry: `path` (or, for a GNU sparse file in pax form, whose entry is
 * named `GNUSparseFile.0/...`, `GNU.sparse.name`) and `size` (written instead of the header's when over 8 GiB).
 */
export function paxOverrides(data: Uint8Array): { name?: string; size?: number } {
  const records = paxRecords(data);
  const name = records.get('GNU.sparse.name') ?? records.get('path');
  const sizeText = records.get('size');
  const size = sizeText !== undefined && /^\d+$/.test(sizeText) ? Number(sizeText) : undefined;
  return { ...(name ? { name } : {}), ...(size !== undefined && Number.isSafeInteger(size) ? { size } : {}) };
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

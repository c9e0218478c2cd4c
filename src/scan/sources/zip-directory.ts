import type { RandomAccess } from './archive-stream.js';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressed: number;
  readonly original: number;
  readonly offset: number;
}

export async function zipDirectory(ra: RandomAccess): Promise<ZipEntry[] | undefined> {
  const tail = Math.min(ra.size, 65_557);
  const end = await ra.read(ra.size - tail, tail);
  let eocd = -1;
  for (let i = end.length - 22; i >= 0; i--) {
    if (end.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = end.readUInt16LE(eocd + 10);
  const cdSize = end.readUInt32LE(eocd + 12);
  const cdOffset = end.readUInt32LE(eocd + 16);
  if (cdOffset + cdSize > ra.size) return undefined;
  const cd = await ra.read(cdOffset, cdSize);
  const out: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count && p + 46 <= cd.length; i++) {
    if (cd.readUInt32LE(p) !== 0x02014b50) return undefined;
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    out.push({
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      compressed: cd.readUInt32LE(p + 20),
      original: cd.readUInt32LE(p + 24),
      offset: cd.readUInt32LE(p + 42),
      name: cd.subarray(p + 46, p + 46 + nameLen).toString('utf8'),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

export async function* rangeOf(ra: RandomAccess, offset: number, length: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < length; at += 256 << 10) yield ra.read(offset + at, Math.min(256 << 10, length - at));
}

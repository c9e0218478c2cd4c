import { Readable } from 'node:stream';
import { createGunzip, createInflateRaw, inflateRawSync } from 'node:zlib';
import type { ArchiveLimits } from './archive-limits.js';
import { ByteReader, textChunks } from './byte-reader.js';
import { looksBinary, type ScanUnit, type SourceWarning } from './source.js';
import { tarEntries } from './tar-entries.js';
import { imageOf, type TarImage } from './tar-image.js';
import { isTar } from './tar-reader.js';
import { rangeOf, zipDirectory } from './zip-directory.js';

export { tarEntries } from './tar-entries.js';

/** Entries up to this size are held whole (one at a time); larger ones are scanned as a stream of windows. */
const IN_MEMORY = 4 << 20;

/** The archive kind of some bytes, by magic number (names lie; layer blobs have none). */
export function archiveKind(bytes: Uint8Array): 'gzip' | 'zip' | 'tar' | undefined {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  return isTar(bytes) ? 'tar' : undefined;
}

/** Bytes that can be read again from the start (a file, an in-memory entry): needed to look for an image first. */
export type Reopen = () => AsyncIterable<Uint8Array>;

/** Random access to a zip's bytes (a file handle or a buffer): zips keep their directory at the end. */
export interface RandomAccess {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

/** State shared by one top-level archive: limits, the expansion budget and the warning sink. */
export interface ExpandContext {
  readonly limits: ArchiveLimits;
  readonly warn: (w: SourceWarning) => void;
  used: number;
  exhausted: boolean;
}

/** A new context for one top-level archive. */
export function expandContext(limits: ArchiveLimits, warn: (w: SourceWarning) => void): ExpandContext {
  return { limits, warn, used: 0, exhausted: false };
}

function charge(ctx: ExpandContext, n: number, where: string): boolean {
  ctx.used += n;
  if (ctx.used > ctx.limits.maxTotalBytes && !ctx.exhausted) {
    ctx.exhausted = true;
    ctx.warn({
      path: where,
      message: `archive expands past ${ctx.limits.maxTotalBytes} bytes; the rest was not scanned`,
    });
  }
  return !ctx.exhausted;
}

async function* once(buf: Uint8Array): AsyncGenerator<Uint8Array> {
  yield buf;
}

/** A unit for one file found in an archive: whole when small, windows of a stream when large; binaries skipped. */
async function* fileUnit(path: string, r: ByteReader, size: number): AsyncGenerator<ScanUnit> {
  const head = await r.peek(Math.min(size, 8192));
  if (looksBinary(head)) return;
  if (size <= IN_MEMORY) {
    const data = await r.read(size);
    yield { path, data, bytes: data.length };
    return;
  }
  yield { path, chunks: textChunks(r.take(size)), bytes: size };
}

/**
 * Expand one archive read from `r` (tar, gzip, zip, nested), yielding its text files as scan units. `reopen`, when
 * given, reads the same bytes again: a tar is then first read for image metadata (docker save and OCI layouts keep
 * their manifests anywhere in the tar), so images are scanned layer by layer.
 */
async function* expandReader(
  r: ByteReader,
  where: string,
  depth: number,
  ctx: ExpandContext,
  size: number,
  reopen: Reopen | undefined,
  random: RandomAccess | undefined,
): AsyncGenerator<ScanUnit> {
  if (depth > ctx.limits.maxDepth) {
    ctx.warn({ path: where, message: `skipped: archives nested deeper than ${ctx.limits.maxDepth}` });
    return;
  }
  const kind = archiveKind(await r.peek(512));
  if (kind === 'gzip') {
    yield* gunzipped(r, where, depth, ctx, size);
    return;
  }
  if (kind === 'tar') {
    const image = reopen ? await imageOf(reopen) : undefined;
    if (image) yield* imageTar(r, where, depth, ctx, image);
    else yield* tarFiles(r, where, depth, ctx);
    return;
  }
  if (kind === 'zip') {
    let ra = random;
    if (!ra) {
      if (size > IN_MEMORY * 16) {
        ctx.warn({
          path: where,
          message: `skipped: a zip of ${size} bytes inside another archive is too large`,
        });
        return;
      }
      const all = await r.read(size);
      ra = { size: all.length, read: async (o, n) => all.subarray(o, o + n) };
    }
    yield* zipFiles(ra, where, depth, ctx);
    return;
  }
  yield* fileUnit(where, r, size);
}

async function* gunzipped(
  r: ByteReader,
  where: string,
  depth: number,
  ctx: ExpandContext,
  size: number,
): AsyncGenerator<ScanUnit> {
  // The ratio cap only: the total budget is `charge`'s, which says so in its own warning.
  const cap = size * ctx.limits.maxRatio + (1 << 20);
  const gunzip = createGunzip();
  const input = Readable.from(r.take(size));
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  let out = 0;
  let failed = false;
  async function* counted(): AsyncGenerator<Buffer> {
    try {
      for await (const b of gunzip as AsyncIterable<Buffer>) {
        out += b.length;
        if (out > cap) {
          failed = true;
          ctx.warn({ path: where, message: `skipped the rest: expands over ${cap} bytes (bomb guard)` });
          return;
        }
        if (!charge(ctx, b.length, where)) return;
        yield b;
      }
    } catch {
      failed = true;
      ctx.warn({
        path: where,
        message:
          out === 0
            ? 'skipped: is not valid gzip'
            : `gzip data is corrupt or truncated after ${out} bytes; the rest was not scanned`,
      });
    } finally {
      input.destroy();
      gunzip.destroy();
    }
  }
  const inner = new ByteReader(counted());
  const head = await inner.peek(512);
  if (failed || head.length === 0) return;
  // A gzipped tar keeps the outer name; a gzipped file is named without `.gz`. The inner size is unknown: stream all.
  if (archiveKind(head) === 'tar') yield* tarFiles(inner, where, depth, ctx);
  else yield* fileUnit(where.replace(/\.gz$/i, ''), inner, Number.MAX_SAFE_INTEGER);
  // Read to the end (a tar's zero padding, at most the ratio cap) so a truncated or corrupt stream is reported.
  await inner.skip(Number.MAX_SAFE_INTEGER);
  await inner.close();
}

async function* tarFiles(
  r: ByteReader,
  where: string,
  depth: number,
  ctx: ExpandContext,
): AsyncGenerator<ScanUnit> {
  for await (const e of tarEntries(r)) yield* entry(e.name, e.size, r, where, depth, ctx);
}

async function* entry(
  name: string,
  size: number,
  r: ByteReader,
  where: string,
  depth: number,
  ctx: ExpandContext,
): AsyncGenerator<ScanUnit> {
  const path = `${where}!${name}`;
  // Archives are told by content, whatever the name: an uncompressed layer blob (`blobs/sha256/<hex>`) is a tar.
  if (archiveKind(await r.peek(Math.min(size, 512))) !== undefined) yield* nested(path, size, r, depth, ctx);
  else yield* fileUnit(path, r, size);
}

/** The next `size` bytes of `r` expanded as an archive (or scanned as a file when they are none) under `path`. */
async function* nested(
  path: string,
  size: number,
  r: ByteReader,
  depth: number,
  ctx: ExpandContext,
): AsyncGenerator<ScanUnit> {
  if (size <= IN_MEMORY) {
    // Small nested archives are held whole, so they can be read twice (image detection) and opened as zips.
    const data = await r.read(size);
    yield* expandReader(new ByteReader(once(data)), path, depth + 1, ctx, data.length, () => once(data), {
      size: data.length,
      read: async (o, n) => data.subarray(o, o + n),
    });
    return;
  }
  yield* expandReader(new ByteReader(r.take(size)), path, depth + 1, ctx, size, undefined, undefined);
}

/**
 * An image tar: each part expanded under `<where>!<digest>` (in the order the tar holds them), and every other entry
 * (manifests, extra files, an earlier entry under a layer's name) scanned like any tar's.
 */
async function* imageTar(
  r: ByteReader,
  where: string,
  depth: number,
  ctx: ExpandContext,
  image: TarImage,
): AsyncGenerator<ScanUnit> {
  for (const name of image.missing) {
    ctx.warn({ path: `${where}!${name}`, message: 'named by the image manifest but not in the archive' });
  }
  let index = 0;
  for await (const { name, size } of tarEntries(r)) {
    const digest = image.parts.get(index++);
    if (digest === undefined) yield* entry(name, size, r, where, depth, ctx);
    else yield* nested(`${where}!${digest}`, size, r, depth, ctx);
  }
}

async function* zipFiles(
  ra: RandomAccess,
  where: string,
  depth: number,
  ctx: ExpandContext,
): AsyncGenerator<ScanUnit> {
  const entries = await zipDirectory(ra);
  if (!entries) {
    ctx.warn({ path: where, message: 'skipped: not a readable zip archive' });
    return;
  }
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    const path = `${where}!${e.name}`;
    const ratio = e.original / Math.max(1, e.compressed);
    if (e.original > 1 << 20 && ratio > ctx.limits.maxRatio) {
      ctx.warn({ path, message: `skipped: compression ratio ${Math.round(ratio)}:1 (bomb guard)` });
      continue;
    }
    if ((e.flags & 1) !== 0 || (e.method !== 0 && e.method !== 8) || e.compressed === 0xffffffff) {
      ctx.warn({ path, message: 'skipped: encrypted, zip64 or an unsupported compression method' });
      continue;
    }
    if (!charge(ctx, e.original, where)) return;
    const local = await ra.read(e.offset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) {
      ctx.warn({ path, message: 'skipped: broken zip entry' });
      continue;
    }
    const start = e.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (e.original <= IN_MEMORY) {
      let data: Buffer;
      try {
        const raw = await ra.read(start, e.compressed);
        data = e.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: Math.max(1, e.original) });
      } catch {
        ctx.warn({ path, message: 'skipped: broken zip entry' });
        continue;
      }
      yield* entry(e.name, data.length, new ByteReader(once(data)), where, depth, ctx);
      continue;
    }
    const raw = rangeOf(ra, start, e.compressed);
    let body: AsyncIterable<Uint8Array> = raw;
    if (e.method === 8) {
      const inflate = createInflateRaw();
      const input = Readable.from(raw);
      input.on('error', (err) => inflate.destroy(err));
      input.pipe(inflate);
      body = (async function* () {
        let out = 0;
        try {
          for await (const b of inflate as AsyncIterable<Buffer>) {
            out += b.length;
            if (out > e.original) return;
            yield b;
          }
        } catch {
          ctx.warn({ path, message: 'skipped the rest: broken zip entry' });
        }
      })();
    }
    yield* entry(e.name, e.original, new ByteReader(body), where, depth, ctx);
  }
}

/**
 * Expand an archive file from disk (tar, tar.gz/tgz, zip, nested; docker-save and OCI image tars layer by layer)
 * into scan units, streaming: memory holds one bounded piece at a time whatever the archive size.
 */
export async function* expandArchiveStream(
  reopen: Reopen,
  random: RandomAccess,
  where: string,
  ctx: ExpandContext,
): AsyncGenerator<ScanUnit> {
  const r = new ByteReader(reopen());
  try {
    yield* expandReader(r, where, 0, ctx, random.size, reopen, random);
  } finally {
    await r.close();
  }
}

import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS, isArchiveName } from './archive-limits.js';
import { imageLayout } from './image-layers.js';
import type { SourceWarning } from './source.js';
import { isTar, readTar } from './tar-reader.js';

/** A file found inside archives, with its `outer.tar!inner.zip!path` location. */
export interface ArchiveFile {
  readonly path: string;
  readonly data: Uint8Array;
}

/** Mutable budget shared by one top-level archive expansion. */
interface Budget {
  used: number;
  exhausted: boolean;
}

/** The archive kind of some bytes, by magic number (names lie; layer blobs have none). */
export function archiveKind(bytes: Uint8Array): 'gzip' | 'zip' | 'tar' | undefined {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  return isTar(bytes) ? 'tar' : undefined;
}

function charge(
  budget: Budget,
  limits: ArchiveLimits,
  n: number,
  where: string,
  warn: (w: SourceWarning) => void,
) {
  budget.used += n;
  if (budget.used > limits.maxTotalBytes && !budget.exhausted) {
    budget.exhausted = true;
    warn({
      path: where,
      message: `archive expands past ${limits.maxTotalBytes} bytes; the rest was not scanned`,
    });
  }
  return !budget.exhausted;
}

function gunzip(
  bytes: Uint8Array,
  where: string,
  limits: ArchiveLimits,
  budget: Budget,
  warn: (w: SourceWarning) => void,
) {
  const room = Math.max(0, limits.maxTotalBytes - budget.used);
  const cap = Math.min(room, bytes.length * limits.maxRatio + (1 << 20));
  try {
    const out = gunzipSync(bytes, { maxOutputLength: Math.max(1, cap) });
    return charge(budget, limits, out.length, where, warn) ? new Uint8Array(out) : undefined;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'ERR_BUFFER_TOO_LARGE' ? `expands over ${cap} bytes (bomb guard)` : 'is not valid gzip';
    warn({ path: where, message: `skipped: ${why}` });
    return undefined;
  }
}

function* expandInner(
  bytes: Uint8Array,
  where: string,
  depth: number,
  limits: ArchiveLimits,
  budget: Budget,
  warn: (w: SourceWarning) => void,
): Generator<ArchiveFile> {
  if (depth > limits.maxDepth) {
    warn({ path: where, message: `skipped: archives nested deeper than ${limits.maxDepth}` });
    return;
  }
  const kind = archiveKind(bytes);
  if (kind === 'gzip') {
    const out = gunzip(bytes, where, limits, budget, warn);
    if (!out) return;
    if (archiveKind(out) === 'tar') yield* expandInner(out, where, depth, limits, budget, warn);
    else yield { path: where.replace(/\.gz$/i, ''), data: out };
    return;
  }
  if (kind === 'tar') {
    const entries = [...readTar(bytes)];
    const byName = new Map(entries.map((e) => [e.name, e.data]));
    const image = imageLayout({ has: (n) => byName.has(n), read: (n) => byName.get(n) });
    // The very bytes read as layers (not their names: a tar may hold two entries of one name) are not scanned
    // again; every other entry of an image tar is scanned like any tar's.
    const layers = new Set<Uint8Array>();
    for (const part of image?.parts ?? []) {
      const data = byName.get(part.name)!;
      layers.add(data);
      yield* expandInner(data, `${where}!${part.digest}`, depth + 1, limits, budget, warn);
    }
    for (const name of image?.missing ?? []) {
      warn({ path: `${where}!${name}`, message: 'named by the image manifest but not in the archive' });
    }
    for (const e of entries) {
      if (!layers.has(e.data)) yield* entry(e.name, e.data, where, depth, limits, budget, warn);
    }
    return;
  }
  if (kind === 'zip') {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(bytes, {
        filter: (f) => {
          const ratio = f.originalSize / Math.max(1, f.size);
          if (f.originalSize > 1 << 20 && ratio > limits.maxRatio) {
            warn({
              path: `${where}!${f.name}`,
              message: `skipped: compression ratio ${Math.round(ratio)}:1 (bomb guard)`,
            });
            return false;
          }
          return charge(budget, limits, f.originalSize, where, warn);
        },
      });
    } catch {
      warn({ path: where, message: 'skipped: not a readable zip archive' });
      return;
    }
    for (const [name, data] of Object.entries(files)) {
      if (!name.endsWith('/')) yield* entry(name, data, where, depth, limits, budget, warn);
    }
    return;
  }
  yield { path: where, data: bytes };
}

function* entry(
  name: string,
  data: Uint8Array,
  where: string,
  depth: number,
  limits: ArchiveLimits,
  budget: Budget,
  warn: (w: SourceWarning) => void,
): Generator<ArchiveFile> {
  const path = `${where}!${name}`;
  if (archiveKind(data) !== undefined && (isArchiveName(name) || archiveKind(data) !== 'tar')) {
    yield* expandInner(data, path, depth + 1, limits, budget, warn);
  } else {
    yield { path, data };
  }
}

/**
 * Expand an archive (tar, tar.gz/tgz, zip, nested; docker-save and OCI image tars layer by layer) into its files,
 * under bomb limits. Locations read `outer.tar!inner.zip!path` and `image.tar!<layer digest>!path`.
 */
export function* expandArchive(
  bytes: Uint8Array,
  name: string,
  warn: (w: SourceWarning) => void,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Generator<ArchiveFile> {
  yield* expandInner(bytes, name, 0, limits, { used: 0, exhausted: false }, warn);
}

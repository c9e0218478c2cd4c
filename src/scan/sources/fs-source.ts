import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  lstatSync,
  openSync,
  read,
  readdirSync,
  readFileSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import ignore, { type Ignore } from 'ignore';
import { hushError } from '../../core/errors/index.js';
import { BINARY_HEAD_BYTES, binaryCandidateSize, binaryFindings } from '../engine/binary-findings.js';
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS, isArchiveName } from './archive-limits.js';
import { looksBinary, type ScanSource, type ScanUnit, type SourceWarning } from './source.js';

/** Options of the directory-tree source. */
export interface FsSourceOptions {
  /** Files or directories to scan. */
  readonly roots: readonly string[];
  /** gitignore-style globs to skip (from --exclude and the config). */
  readonly exclude?: readonly string[];
  /** Files above this size are streamed in windows instead of read whole (default 1 MiB). */
  readonly streamAbove?: number;
  /** Files above this size are skipped with a warning (default 100 MiB; 0 = no limit). */
  readonly maxFileBytes?: number;
  /** Open archives (default true) under these limits. */
  readonly archives?: boolean;
  readonly archiveLimits?: ArchiveLimits;
}

interface Level {
  readonly dir: string;
  readonly ig: Ignore;
}

function loadIgnores(dir: Buffer, names: readonly Dirent<Buffer>[]): Ignore | undefined {
  let ig: Ignore | undefined;
  for (const name of ['.gitignore', '.hushignore']) {
    if (!names.some((d) => d.name.toString('latin1') === name)) continue;
    try {
      const text = readFileSync(childPath(dir, Buffer.from(name)), 'utf8');
      ig ??= ignore();
      ig.add(text);
    } catch {
      // Unreadable ignore file: scan more rather than less.
    }
  }
  return ig;
}

function ignored(levels: readonly Level[], abs: string, isDir: boolean): boolean {
  for (const { dir, ig } of levels) {
    const rel = relative(dir, abs).split(sep).join('/');
    if (rel && !rel.startsWith('..') && ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/**
 * A file name as text: UTF-8 when it is valid UTF-8, else each byte above 0x7f as `\xNN`, so a name that is not
 * UTF-8 is still shown (and told apart) rather than breaking the walk.
 */
export function nameText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(bytes)) return text;
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

function display(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : abs;
}

const SLASH = Buffer.from(sep);

function childPath(dir: Buffer, name: Buffer): Buffer {
  return dir.length > 0 && dir[dir.length - 1] === SLASH[0]
    ? Buffer.concat([dir, name])
    : Buffer.concat([dir, SLASH, name]);
}

/** What a special file is, for the note that says it was skipped. */
function specialKind(st: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** The bytes of an open file, read in 256 KiB pieces (a descriptor, not a path: it is the file that was checked). */
async function* fdBytes(fd: number, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < size; ) {
    const piece = await readAt(fd, at, Math.min(256 << 10, size - at));
    if (piece.length === 0) return;
    at += piece.length;
    yield piece;
  }
}

async function* fdChunks(fd: number, size: number): AsyncIterable<string> {
  const dec = new StringDecoder('utf8');
  for await (const b of fdBytes(fd, size)) {
    const text = dec.write(b);
    if (text) yield text;
  }
  const rest = dec.end();
  if (rest) yield rest;
}

/** Scan a directory tree (honouring .gitignore and .hushignore), single files, archives and OCI layouts. */
export function fsSource(options: FsSourceOptions): ScanSource {
  const streamAbove = options.streamAbove ?? 1 << 20;
  const maxFile = options.maxFileBytes ?? 100 << 20;
  const limits = options.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS;
  const excludes = ignore().add([...(options.exclude ?? [])]);

  /**
   * One file, opened once (non-blocking, so a FIFO cannot hang the open) and checked on the open descriptor: a
   * FIFO, device or socket, also behind a symlink or swapped in after the directory was listed, is skipped with
   * a note instead of being read forever.
   */
  async function* file(abs: Buffer, warn: (w: SourceWarning) => void): AsyncGenerator<ScanUnit> {
    const path = display(nameText(abs));
    let fd: number;
    try {
      fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      warn({ path, message: 'skipped: file not readable' });
      return;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) {
        warn({ path, message: `skipped: ${specialKind(st)}, not a regular file` });
        return;
      }
      const size = st.size;
      if (maxFile > 0 && size > maxFile) {
        warn({
          path,
          message: `skipped: ${size} bytes is over the ${maxFile}-byte limit (raise --max-file-size)`,
        });
        return;
      }
      if (options.archives !== false && isArchiveName(path)) {
        // The archive code loads on the first archive only.
        const { expandArchiveStream, expandContext } = await import('./archive-stream.js');
        yield* expandArchiveStream(
          () => fdBytes(fd, size),
          { size, read: (offset, length) => readAt(fd, offset, length) },
          path,
          expandContext(limits, warn),
        );
        return;
      }
      if (size > streamAbove) {
        const head = await readAt(fd, 0, BINARY_HEAD_BYTES);
        if (!looksBinary(head)) yield { path, chunks: fdChunks(fd, size), bytes: size };
        else if (binaryFindings(path, size, head).length > 0) yield { path, binaryHead: head, bytes: size };
        return;
      }
      // Synchronous reads: thousands of small files cost far less this way than one thread-pool round trip each.
      const data = Buffer.alloc(size);
      let got = 0;
      while (got < size) {
        const n = readSync(fd, data, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      const bytes = data.subarray(0, got);
      // Binary files are not text-scanned, but their head may be a Hush snapshot or BYOK key (random key bytes often
      // hold no NUL, so files of a key's sizes are checked as if binary too).
      const binary = looksBinary(bytes);
      if ((binary || binaryCandidateSize(got)) && binaryFindings(path, got, bytes).length > 0)
        yield { path, binaryHead: bytes.subarray(0, BINARY_HEAD_BYTES), bytes: got };
      else if (!binary) yield { path, data: bytes, bytes: got };
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The layers of an image folder (an OCI layout, or an unpacked `docker save`), when its manifests parse and name
   * at least one layer that is there (see imageLayout): the small metadata files are read for the structure, and each
   * layer blob is streamed from disk, so a blob of any size is scanned in bounded memory. The blob files are added
   * to `layers` (by their path bytes) so the walk does not read them again; every other file of the folder is
   * walked as usual.
   */
  async function* ociDir(
    abs: Buffer,
    layers: Set<string>,
    warn: (w: SourceWarning) => void,
  ): AsyncGenerator<ScanUnit> {
    const { imageLayout } = await import('./image-layers.js');
    const at = (name: string) =>
      name
        .split('/')
        .filter((p) => p !== '' && p !== '.')
        .reduce((dir, p) => childPath(dir, Buffer.from(p)), abs);
    const regular = (name: string) => lstatSafe(at(name))?.isFile() === true;
    const image = imageLayout({
      has: regular,
      // Manifests and indexes are small; a huge "index.json" is scanned as a file, not parsed as one.
      read: (name) => {
        const st = lstatSafe(at(name));
        if (!st?.isFile() || st.size > 4 << 20) return undefined;
        try {
          return readFileSync(at(name));
        } catch {
          return undefined;
        }
      },
    });
    if (!image) return;
    const { expandArchiveStream, expandContext } = await import('./archive-stream.js');
    const where = display(nameText(abs));
    for (const name of image.missing) {
      warn({
        path: display(nameText(at(name))),
        message: 'named by the image manifest but not in the image folder',
      });
    }
    for (const part of image.parts) {
      const blob = at(part.name);
      layers.add(blob.toString('latin1'));
      let fd: number;
      try {
        fd = openSync(blob, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
      } catch {
        warn({ path: display(nameText(blob)), message: 'skipped: image blob not readable' });
        continue;
      }
      try {
        const st = fstatSync(fd);
        if (!st.isFile()) {
          warn({ path: display(nameText(blob)), message: `skipped: ${specialKind(st)}, not a regular file` });
          continue;
        }
        yield* expandArchiveStream(
          () => fdBytes(fd, st.size),
          { size: st.size, read: (offset, length) => readAt(fd, offset, length) },
          `${where}!${part.digest}`,
          expandContext(limits, warn),
        );
      } finally {
        closeSync(fd);
      }
    }
  }

  /** Directories still to walk, deepest last: an explicit stack, so a tree thousands of levels deep cannot overflow. */
  interface Frame {
    readonly dir: Buffer;
    readonly levels: Level[];
    readonly names: Dirent<Buffer>[];
    i: number;
  }

  async function* walk(root: Buffer, warn: (w: SourceWarning) => void): AsyncGenerator<ScanUnit> {
    const rootText = nameText(root);
    // Blob files already read as image layers (path bytes as latin1): the walk skips them, and nothing else.
    const imageBlobs = new Set<string>();
    const open = (dir: Buffer, levels: Level[]): (Frame & { image: boolean }) | undefined => {
      let names: Dirent<Buffer>[];
      try {
        names = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
      } catch (err) {
        const code = (err as { code?: string }).code;
        const why = code === 'ENAMETOOLONG' ? 'path too long' : 'directory not readable';
        warn({ path: display(nameText(dir)), message: `skipped: ${why}` });
        return undefined;
      }
      const text = names.map((n) => n.name.toString('latin1'));
      // Two marker files only make ociDir look; whatever it finds, the folder is walked as usual.
      const image = text.includes('oci-layout') && text.includes('index.json');
      const ig = loadIgnores(dir, names);
      const here = ig ? [...levels, { dir: nameText(dir), ig }] : levels;
      names.sort(
        (a, b) => nameText(a.name).localeCompare(nameText(b.name)) || Buffer.compare(a.name, b.name),
      );
      return { dir, levels: here, names, i: 0, image };
    };
    const first = open(root, []);
    if (first?.image) yield* ociDir(root, imageBlobs, warn);
    const stack: Frame[] = first ? [first] : [];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const d = top.names[top.i++];
      if (!d) {
        stack.pop();
        continue;
      }
      if (d.name.toString('latin1') === '.git') continue;
      const abs = childPath(top.dir, d.name);
      const absText = nameText(abs);
      const isDir = d.isDirectory();
      if (d.isSymbolicLink()) {
        // Links are not followed inside a tree (a link can point anywhere, also at itself); one that points at a
        // device or FIFO is named, because that is what would hang a scanner that followed it.
        const target = statSafe(abs);
        if (target && !target.isFile() && !target.isDirectory()) {
          warn({ path: display(absText), message: `skipped: a symlink to ${specialKind(target)}` });
        }
        continue;
      }
      if (!isDir && !d.isFile()) {
        warn({ path: display(absText), message: `skipped: ${specialKind(d)}, not a regular file` });
        continue;
      }
      if (ignored(top.levels, absText, isDir)) continue;
      const rel = relative(rootText, absText).split(sep).join('/');
      if (rel && excludes.ignores(isDir ? `${rel}/` : rel)) continue;
      if (!isDir) {
        if (!imageBlobs.has(abs.toString('latin1'))) yield* file(abs, warn);
        continue;
      }
      const next = open(abs, top.levels);
      if (next?.image) yield* ociDir(abs, imageBlobs, warn);
      if (next) stack.push(next);
    }
  }

  return {
    async *units(warn) {
      for (const root of options.roots) {
        const st = await stat(root).catch(() => undefined);
        if (!st) throw hushError('NO_FILE_DIRECTORY', { root });
        if (st.isDirectory()) yield* walk(Buffer.from(root), warn);
        else yield* file(Buffer.from(root), warn);
      }
    },
  };
}

function statSafe(path: Buffer): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function lstatSafe(path: Buffer): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** `length` bytes at `offset` of an open file (fewer at its end). */
function readAt(fd: number, offset: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const buf = Buffer.alloc(length);
    read(fd, buf, 0, length, offset, (err, n) => (err ? reject(err) : resolve(buf.subarray(0, n))));
  });
}

import { createReadStream, type Dirent, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { HushError } from '../../core/errors/hush-error.js';
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

function loadIgnores(dir: string, names: readonly Dirent[]): Ignore | undefined {
  let ig: Ignore | undefined;
  for (const name of ['.gitignore', '.hushignore']) {
    if (!names.some((d) => d.name === name)) continue;
    try {
      const text = readFileSync(join(dir, name), 'utf8');
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

function display(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : abs;
}

async function* streamText(path: string): AsyncIterable<string> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 << 10 });
  for await (const chunk of stream) yield chunk as string;
}

/** Scan a directory tree (honouring .gitignore and .hushignore), single files, archives and OCI layouts. */
export function fsSource(options: FsSourceOptions): ScanSource {
  const streamAbove = options.streamAbove ?? 1 << 20;
  const maxFile = options.maxFileBytes ?? 100 << 20;
  const limits = options.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS;
  const excludes = ignore().add([...(options.exclude ?? [])]);
  // Blob files already read as image layers: the walk skips them, and nothing else.
  const imageBlobs = new Set<string>();

  async function* file(
    abs: string,
    size: number,
    warn: (w: SourceWarning) => void,
  ): AsyncGenerator<ScanUnit> {
    const path = display(abs);
    if (maxFile > 0 && size > maxFile) {
      warn({
        path,
        message: `skipped: ${size} bytes is over the ${maxFile}-byte limit (raise --max-file-size)`,
      });
      return;
    }
    if (options.archives !== false && isArchiveName(abs) && size <= limits.maxTotalBytes) {
      // The archive code (and fflate) loads on the first archive only.
      const { expandArchive } = await import('./archive-expand.js');
      for (const f of expandArchive(await readFile(abs), path, warn, limits)) {
        if (!looksBinary(f.data)) yield { path: f.path, data: f.data, bytes: f.data.length };
      }
      return;
    }
    if (size > streamAbove) {
      const fh = await open(abs, 'r');
      const head = new Uint8Array(8192);
      try {
        await fh.read(head, 0, head.length, 0);
      } finally {
        await fh.close();
      }
      if (!looksBinary(head)) yield { path, chunks: streamText(abs), bytes: size };
      return;
    }
    // Synchronous reads: thousands of small files cost far less this way than one thread-pool round trip each.
    const data = readFileSync(abs);
    if (!looksBinary(data)) yield { path, data, bytes: size };
  }

  /**
   * The layers of an OCI image layout in `abs`, when it is one (see imageLayout); their blob files are added to
   * `layers` so the walk does not read them again. Everything else in the folder is walked as usual.
   */
  async function* ociDir(
    abs: string,
    layers: Set<string>,
    warn: (w: SourceWarning) => void,
  ): AsyncGenerator<ScanUnit> {
    const { imageLayout } = await import('./image-layers.js');
    const at = (name: string) => join(abs, ...name.split('/'));
    const regular = (name: string) => lstatSync(at(name), { throwIfNoEntry: false })?.isFile() === true;
    const image = imageLayout({
      has: regular,
      // Manifests and indexes are small; a huge "index.json" is scanned as a file, not parsed as one.
      read: (name) =>
        regular(name) && statSync(at(name)).size <= 4 << 20 ? readFileSync(at(name)) : undefined,
    });
    if (!image) return;
    const { expandArchive } = await import('./archive-expand.js');
    for (const name of image.missing) {
      warn({ path: display(at(name)), message: 'named by the image manifest but not in the image folder' });
    }
    for (const part of image.parts) {
      const blob = at(part.name);
      layers.add(blob);
      const size = statSync(blob).size;
      if (size > limits.maxTotalBytes) {
        warn({
          path: display(blob),
          message: `skipped image ${part.digest === 'config' ? 'config' : 'layer'}: ${size} bytes is over the ${limits.maxTotalBytes}-byte archive limit`,
        });
        continue;
      }
      for (const f of expandArchive(readFileSync(blob), `${display(abs)}!${part.digest}`, warn, limits)) {
        if (!looksBinary(f.data)) yield { path: f.path, data: f.data, bytes: f.data.length };
      }
    }
  }

  async function* walk(
    dir: string,
    root: string,
    levels: Level[],
    warn: (w: SourceWarning) => void,
  ): AsyncGenerator<ScanUnit> {
    let names: Dirent[];
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch {
      warn({ path: display(dir), message: 'skipped: directory not readable' });
      return;
    }
    if (names.some((n) => n.name === 'oci-layout') && names.some((n) => n.name === 'index.json')) {
      yield* ociDir(dir, imageBlobs, warn);
    }
    const ig = loadIgnores(dir, names);
    const here = ig ? [...levels, { dir, ig }] : levels;
    for (const d of names.sort((a, b) => a.name.localeCompare(b.name))) {
      if (d.name === '.git') continue;
      const abs = join(dir, d.name);
      const isDir = d.isDirectory();
      if (!isDir && !d.isFile()) continue;
      if (ignored(here, abs, isDir)) continue;
      const rel = relative(root, abs).split(sep).join('/');
      if (rel && excludes.ignores(isDir ? `${rel}/` : rel)) continue;
      if (imageBlobs.has(abs)) continue;
      if (isDir) yield* walk(abs, root, here, warn);
      else yield* file(abs, statSync(abs).size, warn);
    }
  }

  return {
    async *units(warn) {
      for (const root of options.roots) {
        const st = await stat(root).catch(() => undefined);
        if (!st) throw new HushError('HUSH_E_NOT_FOUND', `no file or directory at ${root}; check the path`);
        if (st.isDirectory()) yield* walk(root, root, [], warn);
        else yield* file(root, st.size, warn);
      }
    },
  };
}

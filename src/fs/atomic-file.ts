import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type FileHandle, lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';

/** Options of {@link writeFileAtomically}. */
export interface AtomicWriteOptions {
  /** Replace an existing regular file (else HUSH_E_ALREADY_EXISTS). */
  readonly overwrite: boolean;
  /** The file's mode (default 0600: every file Hush writes may hold secrets). */
  readonly mode?: number;
  /** The flag that names the path, for messages (default `--file`). */
  readonly flag?: string;
}

/**
 * Refuse a path that is a symbolic link (dangling or not): writing "through" it would overwrite, or create, a file
 * somewhere else, chosen by whoever made the link. Throws HUSH_E_INVALID_INPUT naming the path.
 */
export async function refuseSymlink(path: string, flag = '--out'): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (st?.isSymbolicLink()) {
    throw hushError('SYMBOLIC_LINK_HUSH_NOT_WRITE', { path, flag });
  }
}

/**
 * Write a file through a private temp file beside it (mode 0600, created exclusively), fsync it, then rename it
 * over `path` and fsync the directory: a crash at any point leaves either no file or the whole file under `path`,
 * and at worst a `.<name>.tmp-*` file that nothing reads. A symbolic link at `path` is refused, and the rename
 * replaces a directory entry, never following one, so no write lands outside the path given.
 */
export async function writeFileAtomically(
  path: string,
  options: AtomicWriteOptions,
  write: (file: FileHandle) => Promise<void>,
): Promise<void> {
  await refuseSymlink(path, options.flag ?? '--file');
  if (!options.overwrite && existsSync(path)) {
    throw hushError('PATH_ALREADY_EXISTS', { path, value: options.flag ?? '--file' });
  }
  const temp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', 0o600);
    await write(handle);
    if (options.mode !== undefined && options.mode !== 0o600) await handle.chmod(options.mode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw toFileError(err, path, options.flag ?? '--file');
  }
  await syncDirectory(dirname(path));
}

/** Write a secret text file (0600) atomically, replacing an existing file; see {@link writeFileAtomically}. */
export async function writeSecretFileAtomic(path: string, text: string, flag = '--out'): Promise<void> {
  await writeFileAtomically(path, { overwrite: true, flag }, (fh) => fh.writeFile(text, 'utf8'));
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  }
}

function toFileError(err: unknown, path: string, flag: string): unknown {
  if (isHushError(err)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return err;
  return hushError('CANNOT_WRITE_PATH_CODE', { path, code, flag });
}

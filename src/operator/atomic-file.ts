import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HushError, isHushError } from '../core/errors/hush-error.js';

/**
 * Write a file through a private temp file beside it (mode 0600, created exclusively), fsync it, then rename it
 * over `path` and fsync the directory: a crash at any point leaves either no file or the whole file under `path`,
 * and at worst a `.<name>.tmp-*` file that nothing reads.
 */
export async function writeFileAtomically(
  path: string,
  options: { readonly overwrite: boolean },
  write: (file: FileHandle) => Promise<void>,
): Promise<void> {
  if (!options.overwrite && existsSync(path)) {
    throw new HushError(
      'HUSH_E_ALREADY_EXISTS',
      `${path} already exists; choose another --file or pass --force to replace it`,
    );
  }
  const temp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', 0o600);
    await write(handle);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw toFileError(err, path);
  }
  await syncDirectory(dirname(path));
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

function toFileError(err: unknown, path: string): unknown {
  if (isHushError(err)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return err;
  return new HushError(
    'HUSH_E_INVALID_INPUT',
    `cannot write ${path} (${code}); check that its directory exists and is writable`,
  );
}

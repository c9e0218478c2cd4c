import { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';

/** What an error message needs to name: the file, and the lock wait that was configured. */
export interface SqliteErrorContext {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

/** An error thrown by better-sqlite3 (`SqliteError`) or by Node's fs: both carry a string `code`. */
function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turn a SQLite or filesystem failure into a one-line coded HushError naming the file and the fix. A raw
 * SqliteError never reaches the user: its text can be cryptic and is not part of our contract. Errors that are
 * already coded, and programmer mistakes (TypeError, RangeError), pass through unchanged.
 */
export function toStorageError(err: unknown, ctx: SqliteErrorContext, action: string): Error {
  if (err instanceof HushError) return err;
  const code = codeOf(err);
  if (code === undefined) return err instanceof Error ? err : new Error(String(err));
  const where = `${action} ${ctx.path}`;
  const storage = (message: string) => new HushError('HUSH_E_STORAGE', message, { path: ctx.path, code });
  if (code.startsWith('SQLITE_CORRUPT')) {
    return hushError('SQLITE_DATABASE_DISK_IMAGE_MALFORMED', { code, where }, { path: ctx.path, code });
  }
  if (code === 'SQLITE_NOTADB') {
    return storage(
      `${ctx.path} is not a SQLite database (its header is unreadable) while ${action}; point storage.path at the right file or restore it from a backup`,
    );
  }
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') {
    return storage(`disk full while ${where}; free space on that filesystem and retry (nothing was written)`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return storage(
      `${ctx.path} stayed locked by another process for more than ${ctx.busyTimeoutMs} ms while ${action}; retry, or raise storage.busyTimeoutMs`,
    );
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_PERM') ||
    code.startsWith('SQLITE_AUTH') ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS'
  ) {
    return storage(
      `permission denied (${code}) while ${where}; make the file and its directory writable by this user`,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'ENOENT' || code === 'ENOTDIR') {
    return storage(
      `cannot open (${code}) while ${where}; check that the directory exists, is a directory and is writable by this user`,
    );
  }
  if (code === 'EISDIR') {
    return storage(
      `${ctx.path} is a directory; set storage.path to a file inside it, e.g. ${ctx.path}/hush.db`,
    );
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return storage(`I/O error (${code}) while ${where}; check the disk and filesystem, then retry`);
  }
  return storage(`storage failure (${code}) while ${where}; check the file and its filesystem, then retry`);
}

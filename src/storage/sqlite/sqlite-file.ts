import { closeSync, constants, fchmodSync, fstatSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { hushError } from '../../core/errors/index.js';
import { type SqliteErrorContext, toStorageError } from './sqlite-errors.js';

/** Permission bits for the database file; SQLite gives the -wal and -shm files the same bits. */
export const DB_FILE_MODE = 0o600;
/** Permission bits for a directory we create to hold the database. */
export const DB_DIR_MODE = 0o700;

/**
 * Make sure the database file exists with mode 0600 before SQLite opens it. SQLite would otherwise create it
 * 0644 (minus umask), readable by every local user, and it copies the main file's mode onto -wal and -shm, so
 * getting this one file right covers all three. An existing file with group/other bits is tightened to 0600.
 */
export function prepareDatabaseFile(ctx: SqliteErrorContext): void {
  const dir = dirname(ctx.path);
  try {
    mkdirSync(dir, { recursive: true, mode: DB_DIR_MODE });
  } catch (err) {
    // EEXIST here means a non-directory sits where the directory should be: reported just below.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw toStorageError(err, ctx, 'creating the directory for');
  }
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (err) {
    throw toStorageError(err, ctx, 'checking the directory of');
  }
  if (!isDirectory) {
    throw hushError('NOT_DIRECTORY_SO_CANNOT_CREATED', { dir, path: ctx.path }, { path: ctx.path });
  }
  let fd: number;
  try {
    // O_CREAT without O_TRUNC: never clobbers an existing database; O_RDWR proves we can write it.
    fd = openSync(ctx.path, constants.O_CREAT | constants.O_RDWR, DB_FILE_MODE);
  } catch (err) {
    throw toStorageError(err, ctx, 'opening');
  }
  try {
    if ((fstatSync(fd).mode & 0o077) !== 0) fchmodSync(fd, DB_FILE_MODE);
  } catch (err) {
    throw toStorageError(err, ctx, 'restricting the permissions of');
  } finally {
    closeSync(fd);
  }
}

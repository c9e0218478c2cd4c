import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { StorageBackend } from './backend.js';

/** A parsed backend URL: where the rows live, how to show it (never with a password), and how to compare it. */
export type BackendLocation =
  | {
      readonly kind: 'sqlite';
      /** The database file (a data dir `D` means `D/hush.db`). */
      readonly path: string;
      /** The data directory when the URL named one (so `D/root.key` is the default key file). */
      readonly dataDir?: string;
      readonly display: string;
    }
  | { readonly kind: 'postgres'; readonly url: string; readonly display: string };

/** The forms `parseBackendUrl` accepts, for usage messages. */
export const BACKEND_URL_FORMS =
  'sqlite:<data-dir> (uses <data-dir>/hush.db), sqlite:<file.db>, postgres://user:password@host:port/db or postgresql://...';

const SQLITE_FILE = /\.(db|sqlite|sqlite3)$/i;

/** `url` with its password (if any) replaced by `***`: the only form of a URL that may appear in output. */
export function maskUrl(url: string): string {
  const start = url.indexOf('://');
  if (start < 0) return url;
  // By text, not via URL(), so a URL that does not parse keeps its password out too. Everything before the last
  // `@` is user info (an unencoded `@` or `/` in a password must not leak its tail); mask after its first `:`.
  const at = url.lastIndexOf('@');
  let out = url;
  if (at > start) {
    const colon = url.indexOf(':', start + 3);
    if (colon > 0 && colon < at) out = `${url.slice(0, colon + 1)}***${url.slice(at)}`;
  }
  // libpq also takes the password as a query parameter.
  return out.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/**
 * Parse a backend URL. `sqlite:<path>` names a data dir (an existing directory, or a path not ending in .db,
 * .sqlite or .sqlite3) or a database file; `postgres://` and `postgresql://` name a PostgreSQL database.
 *
 * @example parseBackendUrl('sqlite:./data') // { kind: 'sqlite', path: '/abs/data/hush.db', dataDir: '/abs/data', ... }
 */
export function parseBackendUrl(text: string, cwd = process.cwd()): BackendLocation {
  const trimmed = text.trim();
  if (/^sqlite:/i.test(trimmed)) {
    // sqlite:///abs/file.db and sqlite://./rel are accepted as well as sqlite:/abs and sqlite:./rel.
    const raw = trimmed.slice('sqlite:'.length).replace(/^\/\//, '');
    if (raw.length === 0)
      throw usage('sqlite: needs a path, e.g. sqlite:./data or sqlite:/var/lib/hush/hush.db');
    const full = isAbsolute(raw) ? raw : resolve(cwd, raw);
    const isDir = existsSync(full) ? statSync(full).isDirectory() : !SQLITE_FILE.test(full);
    if (isDir) {
      const path = join(full, 'hush.db');
      return { kind: 'sqlite', path, dataDir: full, display: `sqlite:${full}` };
    }
    return { kind: 'sqlite', path: full, display: `sqlite:${full}` };
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    if (!URL.canParse(trimmed)) throw usage(`${maskUrl(trimmed)} is not a valid URL`);
    return { kind: 'postgres', url: trimmed, display: maskUrl(trimmed) };
  }
  const scheme = /^([a-z][a-z0-9+.-]{0,20}):/i.exec(trimmed)?.[1];
  throw usage(`${scheme ? `unknown backend URL scheme "${scheme}:"` : 'a backend URL needs a scheme'}`);
}

function usage(problem: string): HushError {
  return hushError('BACKEND_URL_INVALID', { problem, backendUrlForms: BACKEND_URL_FORMS });
}

/** A location for the local data directory (the default of the operator commands). */
export function dataDirLocation(dataDir: string): BackendLocation {
  return { kind: 'sqlite', path: join(dataDir, 'hush.db'), dataDir, display: `sqlite:${dataDir}` };
}

/**
 * A string equal for two locations that reach the same rows: the real path of a SQLite file; host, port,
 * database and connection options of PostgreSQL (user and password do not change which rows are reached).
 */
export function locationIdentity(location: BackendLocation): string {
  if (location.kind === 'sqlite') {
    let path = location.path;
    try {
      path = realpathSync(path);
    } catch {
      // Not there yet: the resolved path is as canonical as it gets.
    }
    return `sqlite:${path}`;
  }
  const u = new URL(location.url);
  const params = [...u.searchParams.entries()]
    .filter(([k]) => k !== 'password' && k !== 'user')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const host = u.hostname === '' ? 'localhost' : u.hostname.toLowerCase();
  return `postgres://${host}:${u.port || '5432'}${u.pathname}?${new URLSearchParams(params).toString()}`;
}

/** Options of {@link openBackend}. */
export interface OpenBackendOptions {
  /** Refuse a SQLite file that does not exist yet (a migration or snapshot source must not be created). */
  readonly mustExist?: boolean;
}

/**
 * Open the backend a location names (SQLite creates a missing file unless `mustExist`; PostgreSQL creates its
 * table). Backends load on use, so SQLite-only users never load `pg`.
 */
export async function openBackend(
  location: BackendLocation,
  options: OpenBackendOptions = {},
): Promise<StorageBackend> {
  if (location.kind === 'sqlite') {
    if (options.mustExist && !existsSync(location.path)) {
      throw hushError('NO_DATABASE_PATH_DISPLAY', { path: location.path, display: location.display });
    }
    const { openSqliteBackend } = await import('./sqlite/sqlite-backend.js');
    return openSqliteBackend({ path: location.path });
  }
  const { openPostgresBackend } = await import('./postgres/postgres-backend.js');
  return openPostgresBackend({ url: location.url });
}

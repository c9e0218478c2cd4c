import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { DynamoConfigInput } from './dynamodb/dynamo-config.js';

/**
 * Where a store's rows live: the one location type every door uses (server config, `--from`/`--to` URLs, local
 * mode's `--backend`). `display` is the only form that may appear in output (a password is masked).
 */
export type BackendLocation =
  | {
      readonly kind: 'sqlite';
      /** The database file (a data dir `D` means `D/hush.db`). */
      readonly path: string;
      /** The data directory when the URL named one (so `D/root.key` is the default key file). */
      readonly dataDir?: string;
      readonly display: string;
    }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly display: string;
      readonly poolSize?: number;
      readonly connectTimeoutMs?: number;
      readonly statementTimeoutMs?: number;
    }
  | { readonly kind: 'dynamodb'; readonly config: DynamoConfigInput; readonly display: string }
  /** Rows in this process only (tests, ephemeral dev stores); never reachable from a URL. */
  | { readonly kind: 'memory'; readonly display: string };

/** The backend kinds a location may name. */
export type BackendKind = BackendLocation['kind'];

/** The storage section of a validated server config (the shape src/config produces). */
export type ConfiguredStorage =
  | { readonly kind: 'sqlite'; readonly path: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize: number;
      readonly connectTimeoutMs: number;
      readonly statementTimeoutMs: number;
    }
  | ({ readonly kind: 'dynamodb' } & Omit<DynamoConfigInput, 'kind'> & { readonly target?: string });

/** The forms `parseBackendUrl` accepts, for usage messages. */
export const BACKEND_URL_FORMS =
  'sqlite:<data-dir> (uses <data-dir>/hush.db), sqlite:<file.db>, postgres://user:password@host:port/db or postgresql://..., dynamodb://<table>?region=<region>[&endpoint=http://host:port][&create-table=true]';

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
 * .sqlite or .sqlite3) or a database file; `postgres://` and `postgresql://` name a PostgreSQL database;
 * `dynamodb://<table>?region=...` names a DynamoDB table (credentials come from the AWS SDK's default chain).
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
    return isDir ? dataDirLocation(full) : { kind: 'sqlite', path: full, display: `sqlite:${full}` };
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    if (!URL.canParse(trimmed)) throw usage(`${maskUrl(trimmed)} is not a valid URL`);
    return { kind: 'postgres', url: trimmed, display: maskUrl(trimmed) };
  }
  if (/^dynamodb:\/\//i.test(trimmed)) return parseDynamoUrl(trimmed);
  const scheme = /^([a-z][a-z0-9+.-]{0,20}):/i.exec(trimmed)?.[1];
  throw usage(`${scheme ? `unknown backend URL scheme "${scheme}:"` : 'a backend URL needs a scheme'}`);
}

const DYNAMO_PARAMS = new Set(['region', 'endpoint', 'create-table']);

/** `dynamodb://<table>?region=<r>[&endpoint=<url>][&create-table=true]`; the table and region are checked on open. */
function parseDynamoUrl(text: string): BackendLocation {
  if (!URL.canParse(text)) throw usage(`${maskUrl(text)} is not a valid URL`);
  const u = new URL(text);
  const table = decodeURIComponent(u.hostname || u.pathname.replace(/^\/+/, ''));
  if (table.length === 0)
    throw usage('dynamodb:// needs a table name, e.g. dynamodb://hush?region=eu-west-1');
  const unknown = [...u.searchParams.keys()].filter((k) => !DYNAMO_PARAMS.has(k));
  if (unknown.length > 0) throw usage(`unknown dynamodb:// parameter "${unknown[0]}"`);
  const region = u.searchParams.get('region') ?? process.env['AWS_REGION'];
  if (!region) throw usage('dynamodb:// needs ?region=<aws-region> (or AWS_REGION)');
  const endpoint = u.searchParams.get('endpoint') ?? undefined;
  const createTable = u.searchParams.get('create-table');
  if (createTable !== null && createTable !== 'true' && createTable !== 'false') {
    throw usage('dynamodb:// create-table must be true or false');
  }
  const config: DynamoConfigInput = {
    kind: 'dynamodb',
    table,
    region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(createTable !== null ? { createTable: createTable === 'true' } : {}),
  };
  return { kind: 'dynamodb', config, display: dynamoDisplay(config) };
}

function dynamoDisplay(c: Pick<DynamoConfigInput, 'table' | 'region' | 'endpoint'>): string {
  // An endpoint may carry user info (a proxy's credentials): shown as its origin only, like the adapter's messages.
  const endpoint =
    c.endpoint && URL.canParse(c.endpoint) ? new URL(c.endpoint).origin : c.endpoint && maskUrl(c.endpoint);
  return `dynamodb://${c.table}?region=${c.region}${endpoint ? `&endpoint=${endpoint}` : ''}`;
}

function usage(problem: string): HushError {
  return hushError('BACKEND_URL_INVALID', { problem, backendUrlForms: BACKEND_URL_FORMS });
}

/** A location for a local data directory (the default of the operator commands and local mode). */
export function dataDirLocation(dataDir: string): BackendLocation {
  return { kind: 'sqlite', path: join(dataDir, 'hush.db'), dataDir, display: `sqlite:${dataDir}` };
}

/** The location a server config's storage section names (validated already, so nothing is re-checked here). */
export function configuredLocation(storage: ConfiguredStorage): BackendLocation {
  if (storage.kind === 'sqlite')
    return { kind: 'sqlite', path: storage.path, display: `sqlite:${storage.path}` };
  if (storage.kind === 'postgres') {
    return {
      kind: 'postgres',
      url: storage.url,
      display: maskUrl(storage.url),
      poolSize: storage.poolSize,
      connectTimeoutMs: storage.connectTimeoutMs,
      statementTimeoutMs: storage.statementTimeoutMs,
    };
  }
  // The validated shape carries `target` (derived for messages); the backend's strict input does not take it.
  const { target: _target, kind: _kind, ...rest } = storage;
  const config: DynamoConfigInput = { kind: 'dynamodb', ...rest };
  return { kind: 'dynamodb', config, display: dynamoDisplay(config) };
}

/**
 * A string equal for two locations that reach the same rows: the real path of a SQLite file; host, port,
 * database and connection options of PostgreSQL (user and password do not change which rows are reached); the
 * endpoint (or region) and table of DynamoDB.
 */
export function locationIdentity(location: BackendLocation): string {
  if (location.kind === 'memory') return `memory:${location.display}`;
  if (location.kind === 'dynamodb') {
    const c = location.config;
    const where = c.endpoint ? new URL(c.endpoint).origin : `aws:${c.region}`;
    return `dynamodb://${where}/${c.table}`;
  }
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

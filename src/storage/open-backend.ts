import { existsSync } from 'node:fs';
import { hushError } from '../core/errors/index.js';
import type { StorageBackend } from './backend.js';
import type { BackendKind, BackendLocation } from './backend-location.js';
import type { DynamoOpenOptions } from './dynamodb/index.js';

/** Options of {@link openBackend}. */
export interface OpenBackendOptions {
  /** Refuse a SQLite file that does not exist yet (a migration or snapshot source must not be created). */
  readonly mustExist?: boolean;
  /** DynamoDB credentials for tests and embedding; otherwise the AWS SDK's default chain supplies them. */
  readonly dynamo?: DynamoOpenOptions;
}

type Opener<K extends BackendKind> = (
  location: Extract<BackendLocation, { kind: K }>,
  options: OpenBackendOptions,
) => Promise<StorageBackend>;

/**
 * The storage registry: one opener per adapter folder, each loading its folder's face (index.ts) on use, so
 * SQLite-only users never load `pg` or the AWS SDK.
 */
const ADAPTERS: { readonly [K in BackendKind]: Opener<K> } = {
  async sqlite(location, options) {
    if (options.mustExist && !existsSync(location.path)) {
      throw hushError('NO_DATABASE_PATH_DISPLAY', { path: location.path, display: location.display });
    }
    const { openSqliteBackend } = await import('./sqlite/index.js');
    return openSqliteBackend({ path: location.path });
  },
  async postgres(location) {
    const { openPostgresBackend } = await import('./postgres/index.js');
    return openPostgresBackend({
      url: location.url,
      ...(location.poolSize !== undefined ? { poolSize: location.poolSize } : {}),
      ...(location.connectTimeoutMs !== undefined ? { connectTimeoutMs: location.connectTimeoutMs } : {}),
      ...(location.statementTimeoutMs !== undefined
        ? { statementTimeoutMs: location.statementTimeoutMs }
        : {}),
    });
  },
  async dynamodb(location, options) {
    const { openDynamoBackend } = await import('./dynamodb/index.js');
    return openDynamoBackend(location.config, options.dynamo);
  },
  async memory() {
    const { openMemoryBackend } = await import('./memory/index.js');
    return openMemoryBackend({});
  },
};

/**
 * Open the backend a location names: the one door for the server, the operator commands and local mode. SQLite
 * creates a missing file unless `mustExist`; PostgreSQL migrates its schema under an advisory lock; DynamoDB checks
 * (or, with createTable, creates) its table. Failures are one-line coded errors that never show a password.
 *
 * @example
 * const backend = await openBackend(parseBackendUrl('dynamodb://hush?region=eu-west-1'));
 */
export function openBackend(
  location: BackendLocation,
  options: OpenBackendOptions = {},
): Promise<StorageBackend> {
  const open = ADAPTERS[location.kind] as Opener<BackendKind>;
  return open(location, options);
}

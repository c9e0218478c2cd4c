import type { StorageBackend } from './backend.js';
import type { DynamoConfig, DynamoConfigInput } from './dynamodb/dynamo-config.js';
import { openPostgresBackend } from './postgres/postgres-backend.js';
import { openSqliteBackend } from './sqlite/sqlite-backend.js';

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
  | ({ readonly kind: 'dynamodb' } & DynamoConfig);

/**
 * Open the backend a server config names: a SQLite file, or a PostgreSQL database (schema migrated under an
 * advisory lock, so nodes starting together are safe). Failures are one-line HUSH_E_STORAGE / HUSH_E_CONFIG errors
 * naming host:port/database, never the password.
 *
 * @example
 * const backend = await openConfiguredBackend(config.storage);
 */
export async function openConfiguredBackend(storage: ConfiguredStorage): Promise<StorageBackend> {
  if (storage.kind === 'sqlite') return openSqliteBackend({ path: storage.path });
  if (storage.kind === 'dynamodb') {
    // The AWS SDK loads only when DynamoDB is configured (it is large and warns on Node 20).
    const { openDynamoBackend } = await import('./dynamodb/index.js');
    return openDynamoBackend(dynamoInput(storage));
  }
  return openPostgresBackend({
    url: storage.url,
    poolSize: storage.poolSize,
    connectTimeoutMs: storage.connectTimeoutMs,
    statementTimeoutMs: storage.statementTimeoutMs,
  });
}

/** The validated settings back in the backend's strict input shape (without `target`, derived for messages). */
function dynamoInput(c: DynamoConfig): DynamoConfigInput {
  return {
    kind: 'dynamodb',
    table: c.table,
    region: c.region,
    ...(c.endpoint !== undefined ? { endpoint: c.endpoint } : {}),
    createTable: c.createTable,
    requestTimeoutMs: c.requestTimeoutMs,
    maxAttempts: c.maxAttempts,
  };
}

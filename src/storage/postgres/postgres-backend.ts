import pg from 'pg';
import { hushError } from '../../core/errors/index.js';
import type { BatchOp, ListOptions, ListPage, StorageBackend, StorageEntry } from '../backend.js';
import { asBuffer, pageSize } from '../backend-helpers.js';
import { checkRevision } from '../check-revision.js';
import { type PostgresConfig, type PostgresConfigInput, parsePostgresConfig } from './postgres-config.js';
import { type PostgresErrorContext, toPostgresError } from './postgres-errors.js';
import { keyBytes, prefixUpperBound } from './postgres-key-range.js';
import { migratePostgres } from './postgres-migrations.js';
import { createReadBatcher } from './postgres-read-batch.js';
import { SQL } from './postgres-statements.js';
import { checkin, checkout, inTransaction, RetryTransaction } from './postgres-transaction.js';

/** Lock the existing rows of `keys` (FOR UPDATE) and return their revisions; missing keys map to 0. */
async function lockRevisions(client: pg.PoolClient, keys: readonly string[]): Promise<Map<string, number>> {
  const unique = [...new Set(keys)];
  const { rows } = await client.query<{ key: Buffer; revision: string }>(SQL.lockRevisions, [
    unique.map(keyBytes),
  ]);
  const revisions = new Map<string, number>(unique.map((k) => [k, 0]));
  for (const row of rows) revisions.set(row.key.toString('utf8'), Number(row.revision));
  return revisions;
}

/** Apply one op inside the open transaction, against (and updating) the locked revisions. Returns: put -> new
 * revision; delete -> the revision it removed (0 when nothing was there). */
async function applyOne(client: pg.PoolClient, op: BatchOp, revisions: Map<string, number>): Promise<number> {
  const current = revisions.get(op.key) ?? 0;
  checkRevision(op, current);
  const key = keyBytes(op.key);
  if (op.op === 'put') {
    if (current === 0) {
      // Nothing was there to lock: a concurrent creator makes the insert a no-op; rerun to see its revision.
      const inserted = await client.query(SQL.insert, [key, asBuffer(op.value)]);
      if (inserted.rowCount !== 1) throw new RetryTransaction(op.key);
    } else {
      await client.query(SQL.update, [key, asBuffer(op.value), current + 1]);
    }
    revisions.set(op.key, current + 1);
    return current + 1;
  }
  if (current > 0) await client.query(SQL.delete, [key]);
  revisions.set(op.key, 0);
  return current;
}

/**
 * StorageBackend on a PostgreSQL database through a connection pool. Every write is a transaction that first
 * locks the rows it touches (SELECT ... FOR UPDATE), so check-and-set holds across connections, processes and
 * nodes. No externalChangeMarker: other nodes' commits are invisible without LISTEN/NOTIFY, so caches stay off.
 */
export class PostgresBackend implements StorageBackend {
  readonly kind = 'postgres';
  private closed = false;
  private readonly ctx: PostgresErrorContext;
  private readonly batchedGet: (key: string) => Promise<StorageEntry | undefined>;

  constructor(
    private readonly pool: pg.Pool,
    config: PostgresConfig,
  ) {
    this.ctx = config;
    this.batchedGet = createReadBatcher(async (keys) => {
      const { rows } = await this.query<{ key: Buffer; value: Buffer; revision: string }>(
        'reading',
        SQL.getMany,
        [keys.map(keyBytes)],
      );
      const found = new Map<string, StorageEntry>();
      for (const row of rows) {
        const key = row.key.toString('utf8');
        found.set(key, { key, value: row.value, revision: Number(row.revision) });
      }
      return found;
    });
  }

  /** Point reads of one event-loop turn share one round trip (postgres-read-batch.ts says why that stays strict). */
  async get(key: string): Promise<StorageEntry | undefined> {
    this.assertOpen();
    return this.batchedGet(key);
  }

  async put(key: string, value: Uint8Array, expectedRevision?: number): Promise<number> {
    const [revision] = await this.write('writing', [{ op: 'put', key, value, expectedRevision }]);
    return revision!;
  }

  async delete(key: string, expectedRevision?: number): Promise<boolean> {
    const [removed] = await this.write('deleting from', [{ op: 'delete', key, expectedRevision }]);
    return removed! > 0;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    this.assertOpen();
    const limit = pageSize(options.limit);
    const start = keyBytes(prefix);
    const cursor = options.after === undefined ? undefined : keyBytes(options.after);
    // Start at whichever is later: the prefix itself (inclusive) or the cursor (exclusive).
    const fromCursor = cursor !== undefined && Buffer.compare(cursor, start) >= 0;
    const from = fromCursor ? cursor : start;
    const upper = prefixUpperBound(start);
    const { rows } = await this.query<{ key: Buffer }>(
      'listing',
      upper === undefined
        ? fromCursor
          ? SQL.listFromExclusive
          : SQL.listFromInclusive
        : fromCursor
          ? SQL.listRangeExclusive
          : SQL.listRangeInclusive,
      upper === undefined ? [from, limit + 1] : [from, upper, limit + 1],
    );
    const keys = rows.slice(0, limit).map((row) => row.key.toString('utf8'));
    return rows.length > limit ? { keys, next: keys[keys.length - 1]! } : { keys };
  }

  async batch(ops: readonly BatchOp[]): Promise<void> {
    this.assertOpen();
    if (ops.length > 0) await this.write('writing', ops);
  }

  /** Close every pooled connection; later calls fail with HUSH_E_STORAGE. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => undefined);
  }

  private async write(action: string, ops: readonly BatchOp[]): Promise<number[]> {
    this.assertOpen();
    return inTransaction(this.pool, this.ctx, action, async (client) => {
      const revisions = await lockRevisions(
        client,
        ops.map((op) => op.key),
      );
      const results: number[] = [];
      for (const op of ops) results.push(await applyOne(client, op, revisions));
      return results;
    });
  }

  private async query<R extends pg.QueryResultRow>(
    action: string,
    sql: string,
    params: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (err) {
      throw toPostgresError(err, this.ctx, action);
    }
  }

  private assertOpen(): void {
    if (this.closed) {
      throw hushError('POSTGRE_SQL_BACKEND_CLOSED', { target: this.ctx.target }, { target: this.ctx.target });
    }
  }
}

/** A pool whose idle-connection errors (server restarted, network dropped) are absorbed, not fatal. */
function createPool(config: PostgresConfig): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    connectionTimeoutMillis: config.connectTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    // Client-side bound for a server that stops answering (network black hole): the server-side
    // statement_timeout normally fires first; this one fires when the server cannot even say so.
    query_timeout: config.statementTimeoutMs + config.connectTimeoutMs,
    keepAlive: true,
    application_name: 'hush',
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would crash the process.
  // The pool already discards that client; the next call reconnects or reports HUSH_E_STORAGE.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Connect to the PostgreSQL database described by `config` and bring its schema up to date.
 *
 * @example
 * const storage = await openPostgresBackend({ url: 'postgres://hush:PASSWORD@db.internal:5432/hush' });
 */
export async function openPostgresBackend(input: PostgresConfigInput): Promise<PostgresBackend> {
  const config = parsePostgresConfig(input);
  const pool = createPool(config);
  try {
    const client = await checkout(pool);
    try {
      await migratePostgres(client, config.target);
      checkin(client);
    } catch (err) {
      checkin(client, true); // never reuse a connection a migration failed on
      throw err;
    }
    return new PostgresBackend(pool, config);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw toPostgresError(err, config, 'opening');
  }
}

import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { hushError } from '../../core/errors/index.js';
import type { BatchOp, ListOptions, ListPage, StorageBackend, StorageEntry } from '../backend.js';
import { asBuffer, pageSize } from '../backend-helpers.js';
import { checkRevision } from '../check-revision.js';
import { parseSqliteConfig, type SqliteConfig, type SqliteConfigInput } from './sqlite-config.js';
import { type SqliteErrorContext, toStorageError } from './sqlite-errors.js';
import { prepareDatabaseFile } from './sqlite-file.js';
import { compareKeys, prefixUpperBound } from './sqlite-key-range.js';
import { checkSchemaVersion, migrateSqlite } from './sqlite-migrations.js';
import { prepareStatements, type SqliteStatements } from './sqlite-statements.js';

/**
 * StorageBackend on one SQLite file (better-sqlite3: synchronous calls under the async interface). Every write
 * runs in a BEGIN IMMEDIATE transaction, so a check-and-set holds across processes sharing the file.
 */
export class SqliteBackend implements StorageBackend {
  readonly kind = 'sqlite';
  private closed = false;
  private readonly ctx: SqliteErrorContext;
  private readonly apply: Database.Transaction<(ops: readonly BatchOp[]) => number[]>;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: SqliteStatements,
    config: SqliteConfig,
  ) {
    this.ctx = { path: config.path, busyTimeoutMs: config.busyTimeoutMs };
    this.apply = db.transaction((ops: readonly BatchOp[]) => ops.map((op) => this.applyOne(op)));
  }

  async get(key: string): Promise<StorageEntry | undefined> {
    return this.guard('reading', () => {
      const row = this.statements.get.get(key);
      return row ? { key, value: row.value ?? Buffer.alloc(0), revision: row.revision } : undefined;
    });
  }

  async put(key: string, value: Uint8Array, expectedRevision?: number): Promise<number> {
    return this.guard(
      'writing',
      () => this.apply.immediate([{ op: 'put', key, value, expectedRevision }])[0]!,
    );
  }

  async delete(key: string, expectedRevision?: number): Promise<boolean> {
    return this.guard(
      'deleting from',
      () => this.apply.immediate([{ op: 'delete', key, expectedRevision }])[0]! > 0,
    );
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const limit = pageSize(options.limit);
    return this.guard('listing', () => {
      // Start at whichever is later: the prefix itself (inclusive) or the cursor (exclusive).
      const fromCursor = options.after !== undefined && compareKeys(options.after, prefix) >= 0;
      const from = fromCursor ? options.after! : prefix;
      const upper = prefixUpperBound(prefix);
      const q = this.statements.list;
      const rows =
        upper === undefined
          ? (fromCursor ? q.fromExclusive : q.fromInclusive).all(from, limit + 1)
          : (fromCursor ? q.rangeExclusive : q.rangeInclusive).all(from, upper, limit + 1);
      const keys = rows.slice(0, limit);
      return rows.length > limit ? { keys, next: keys[keys.length - 1]! } : { keys };
    });
  }

  async batch(ops: readonly BatchOp[]): Promise<void> {
    this.guard('writing', () => {
      if (ops.length > 0) this.apply.immediate(ops);
    });
  }

  /** Changes when another connection (process) commits; our own commits leave it as is (SQLite semantics). */
  externalChangeMarker(): number {
    return this.guard('reading', () => this.statements.dataVersion.get()!);
  }

  /** Checkpoint the WAL into the main file (so a copied .db is complete) and close the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Committed data is already durable in the WAL; a failed checkpoint only delays folding it in.
    }
    this.db.close();
  }

  /** Apply one op inside the open transaction; ops see earlier ops of the same batch. Returns: put -> new
   * revision; delete -> the revision it removed (0 when nothing was there). */
  private applyOne(op: BatchOp): number {
    const current = this.statements.revision.get(op.key) ?? 0;
    checkRevision(op, current);
    if (op.op === 'put') {
      this.statements.upsert.run(op.key, asBuffer(op.value), current + 1);
      return current + 1;
    }
    if (current > 0) this.statements.delete.run(op.key);
    return current;
  }

  private guard<T>(action: string, fn: () => T): T {
    if (this.closed) {
      throw hushError(
        'SQLITE_BACKEND_CLOSED',
        { path: this.ctx.path },
        {
          path: this.ctx.path,
        },
      );
    }
    try {
      return fn();
    } catch (err) {
      throw toStorageError(err, this.ctx, action);
    }
  }
}

function openDatabase(config: SqliteConfig): Database.Database {
  const db = new Database(config.path, { fileMustExist: true, timeout: config.busyTimeoutMs });
  try {
    checkSchemaVersion(db, config.path);
    // WAL: readers never block the writer; FULL: the WAL is fsynced at every commit, so an acknowledged write
    // survives kill -9 and power loss (NORMAL could lose the last commits on power loss).
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw hushError(
        'COULD_NOT_SWITCHED_WAL_MODE',
        { path: config.path, mode: String(mode) },
        { path: config.path },
      );
    }
    db.pragma('synchronous = FULL');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Open (creating if needed) the SQLite store described by `config`, migrating its schema.
 *
 * @example
 * const storage = await openSqliteBackend({ path: '/var/lib/hush/hush.db' });
 */
export async function openSqliteBackend(input: SqliteConfigInput): Promise<SqliteBackend> {
  const parsed = parseSqliteConfig(input);
  const config: SqliteConfig = { ...parsed, path: resolve(parsed.path) };
  const ctx: SqliteErrorContext = config;
  prepareDatabaseFile(ctx);
  let db: Database.Database | undefined;
  try {
    db = openDatabase(config);
    await migrateSqlite(db, config.path);
    return new SqliteBackend(db, prepareStatements(db), config);
  } catch (err) {
    db?.close();
    throw toStorageError(err, ctx, 'opening');
  }
}

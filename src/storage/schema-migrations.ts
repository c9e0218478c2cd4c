import type { HushError } from '../core/errors/hush-error.js';

/** One schema step. Versions are consecutive from 1; a released migration is never edited, only appended. */
export interface SchemaMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * What the runner needs of one SQL database (SQLite and PostgreSQL each provide one): an exclusive transaction,
 * the applied version, and a way to apply one step together with its `schema_migrations` row.
 */
export interface MigrationSession {
  /** Run `work` in one transaction that holds the database's migration lock; roll it back if `work` throws. */
  exclusive(work: () => Promise<void>): Promise<void>;
  /** Highest applied version (0 for a fresh database); throws for a database that is not Hush's. */
  currentVersion(): Promise<number>;
  /** Create `schema_migrations` if missing, run the step's SQL and record the step (inside `exclusive`). */
  apply(migration: SchemaMigration): Promise<void>;
  /** The coded error for a database written by a newer build. */
  tooNew(found: number, latest: number): HushError;
}

/**
 * Bring a schema up to date, the one migration runner of the SQL adapters: each missing step runs in its own
 * exclusive transaction with its `schema_migrations` row, re-reading the version under the lock, so a crash leaves
 * the database at a whole version and processes (nodes) opening a fresh database at once apply each step exactly
 * once. A database from a newer build is refused. Returns the resulting version.
 *
 * @example await runMigrations(sqliteSession(db, path), SQLITE_MIGRATIONS);
 */
export async function runMigrations(
  session: MigrationSession,
  migrations: readonly SchemaMigration[],
): Promise<number> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new RangeError(`migration #${i} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  const applied = async () => {
    const version = await session.currentVersion();
    if (version > latest) throw session.tooNew(version, latest);
    return version;
  };
  // Up to date (the common case) costs one read and no lock.
  if ((await applied()) === latest) return latest;
  for (const migration of migrations) {
    await session.exclusive(async () => {
      // Re-read under the lock: another process may have migrated since we looked.
      if ((await applied()) >= migration.version) return;
      await session.apply(migration);
    });
  }
  return latest;
}

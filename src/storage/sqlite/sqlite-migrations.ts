import type Database from 'better-sqlite3';
import { hushError } from '../../core/errors/index.js';
import { type MigrationSession, runMigrations, type SchemaMigration } from '../schema-migrations.js';

/** One schema step (the shared runner's shape). */
export type SqliteMigration = SchemaMigration;

/** Every schema step this build knows, oldest first. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'create kv',
    // A rowid table (not WITHOUT ROWID): values can be large, and listing then scans only the key index.
    sql: `CREATE TABLE kv (
      key TEXT NOT NULL PRIMARY KEY,
      value BLOB NOT NULL,
      revision INTEGER NOT NULL CHECK (revision > 0)
    )`,
  },
];

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

function tableNames(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .pluck()
    .all() as string[];
}

function currentVersion(db: Database.Database): number {
  const v = db.prepare('SELECT max(version) FROM schema_migrations').pluck().get();
  return typeof v === 'number' ? v : 0;
}

/**
 * The schema version of an open database (0 when empty), refusing a foreign SQLite file or one written by a
 * newer Hush. Read-only, so it runs before anything (even the switch to WAL) modifies the file.
 */
export function checkSchemaVersion(
  db: Database.Database,
  path: string,
  latest: number = SQLITE_MIGRATIONS.length,
): number {
  const tables = tableNames(db);
  if (tables.length === 0) return 0;
  if (!tables.includes('schema_migrations')) {
    throw hushError(
      'SQLITE_DATABASE_BUT_NOT_HUSH',
      { path, tables: tables.slice(0, 5).join(', ') },
      { path },
    );
  }
  const version = currentVersion(db);
  if (version > latest) {
    throw hushError(
      'WRITTEN_NEWER_HUSH_SCHEMA_VERSION',
      { path, version, latest },
      { path, found: version, supported: latest },
    );
  }
  return version;
}

/** The shared runner's view of one SQLite connection: BEGIN IMMEDIATE takes the file's write lock. */
function sqliteSession(db: Database.Database, path: string): MigrationSession {
  return {
    async exclusive(work) {
      db.exec('BEGIN IMMEDIATE');
      try {
        await work();
        db.exec('COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },
    async currentVersion() {
      return checkSchemaVersion(db, path, Number.POSITIVE_INFINITY);
    },
    async apply(migration) {
      db.exec(CREATE_MIGRATIONS_TABLE);
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    },
    tooNew: (found, latest) =>
      hushError(
        'WRITTEN_NEWER_HUSH_SCHEMA_VERSION',
        { path, version: found, latest },
        { path, found, supported: latest },
      ),
  };
}

/**
 * Bring the schema up to date with the shared runner (src/storage/schema-migrations.ts): each missing step in its
 * own IMMEDIATE transaction with its schema_migrations row. Returns the resulting version.
 */
export function migrateSqlite(
  db: Database.Database,
  path: string,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
): Promise<number> {
  return runMigrations(sqliteSession(db, path), migrations);
}

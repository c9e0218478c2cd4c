import type { PoolClient } from 'pg';
import { hushError } from '../../core/errors/index.js';
import { type MigrationSession, runMigrations, type SchemaMigration } from '../schema-migrations.js';

/** One schema step (the shared runner's shape). */
export type PostgresMigration = SchemaMigration;

/** Every schema step this build knows, oldest first. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'create kv',
    // Keys are their UTF-8 bytes (BYTEA), not TEXT: TEXT cannot hold U+0000, and bytea compares with memcmp, so
    // the primary-key order is UTF-8 byte order (the same as SQLite's BINARY collation) whatever the locale.
    sql: `CREATE TABLE kv (
      key BYTEA NOT NULL PRIMARY KEY,
      value BYTEA NOT NULL,
      revision BIGINT NOT NULL CHECK (revision > 0)
    )`,
  },
];

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

/** Advisory lock id serialising migrations of one database ("hush" in ASCII), so concurrent openers queue. */
const MIGRATION_LOCK = 0x68757368;

/** The shared runner's view of one PostgreSQL session: the advisory lock queues concurrent openers. */
function postgresSession(client: PoolClient, target: string): MigrationSession {
  return {
    async exclusive(work) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await work();
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    async currentVersion() {
      // Read pg_class under the statement's snapshot, not to_regclass: that resolves through the backend's catalog
      // cache, which an advisory lock does not refresh, so an opener that waited on the lock while another created
      // the tables would still see none and run the first step again (42P07, relation already exists).
      const { rows: exists } = await client.query<{ t: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
           WHERE c.relname = 'schema_migrations' AND c.relkind = 'r' AND pg_catalog.pg_table_is_visible(c.oid)) AS t`,
      );
      if (!exists[0]?.t) return 0;
      const { rows } = await client.query<{ v: number | null }>(
        'SELECT max(version) AS v FROM schema_migrations',
      );
      return rows[0]?.v ?? 0;
    },
    async apply(migration) {
      await client.query(CREATE_MIGRATIONS_TABLE);
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    },
    tooNew: (found, latest) =>
      hushError(
        'POSTGRE_SQL_WRITTEN_NEWER_HUSH',
        { target, version: found, latest },
        { target, found, supported: latest },
      ),
  };
}

/**
 * Bring the schema up to date with the shared runner (src/storage/schema-migrations.ts): each missing step in one
 * transaction holding an advisory lock, so nodes opening a fresh database at once apply it exactly once.
 */
export function migratePostgres(
  client: PoolClient,
  target: string,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number> {
  return runMigrations(postgresSession(client, target), migrations);
}

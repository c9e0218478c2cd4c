import type { PoolClient } from 'pg';
import { hushError } from '../../core/errors/index.js';

/** One schema step. Versions are consecutive from 1; a released migration is never edited, only appended. */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

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

/** Highest applied schema version (0 for a fresh schema). */
async function currentVersion(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ v: number | null }>(
    'SELECT max(version) AS v FROM schema_migrations',
  );
  return rows[0]?.v ?? 0;
}

/**
 * Bring the schema up to date in one transaction holding an advisory lock, so several processes (nodes) opening
 * a fresh database at once apply each step exactly once, and a failure leaves the schema at its old version.
 * A database from a newer Hush is refused. Returns the resulting version.
 */
export async function migratePostgres(
  client: PoolClient,
  target: string,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new RangeError(`migration #${i} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const version = await currentVersion(client);
    if (version > latest) {
      throw hushError(
        'POSTGRE_SQL_WRITTEN_NEWER_HUSH',
        { target, version, latest },
        { target, found: version, supported: latest },
      );
    }
    for (const migration of migrations.slice(version)) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
    return latest;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

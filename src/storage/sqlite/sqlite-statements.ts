import type Database from 'better-sqlite3';

/** The listing queries; exported so a test can check with EXPLAIN QUERY PLAN that they search the key index. */
export const LIST_SQL = {
  fromInclusive: 'SELECT key FROM kv WHERE key >= ? ORDER BY key LIMIT ?',
  fromExclusive: 'SELECT key FROM kv WHERE key > ? ORDER BY key LIMIT ?',
  rangeInclusive: 'SELECT key FROM kv WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
  rangeExclusive: 'SELECT key FROM kv WHERE key > ? AND key < ? ORDER BY key LIMIT ?',
} as const;

/** Every statement the backend runs, prepared once per connection (preparing is the costly part of a query). */
export interface SqliteStatements {
  readonly get: Database.Statement<[string], { value: Buffer | null; revision: number }>;
  readonly revision: Database.Statement<[string], number>;
  readonly upsert: Database.Statement<[string, Buffer, number]>;
  readonly delete: Database.Statement<[string]>;
  readonly dataVersion: Database.Statement<[], number>;
  readonly list: { readonly [K in keyof typeof LIST_SQL]: Database.Statement<unknown[], string> };
}

/** Prepare the backend's statements on an open, migrated connection. */
export function prepareStatements(db: Database.Database): SqliteStatements {
  const list = (sql: string) => db.prepare<unknown[], string>(sql).pluck();
  return {
    get: db.prepare('SELECT value, revision FROM kv WHERE key = ?'),
    revision: db.prepare<[string], number>('SELECT revision FROM kv WHERE key = ?').pluck(),
    upsert: db.prepare(
      'INSERT INTO kv (key, value, revision) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET value = excluded.value, revision = excluded.revision',
    ),
    delete: db.prepare('DELETE FROM kv WHERE key = ?'),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    list: {
      fromInclusive: list(LIST_SQL.fromInclusive),
      fromExclusive: list(LIST_SQL.fromExclusive),
      rangeInclusive: list(LIST_SQL.rangeInclusive),
      rangeExclusive: list(LIST_SQL.rangeExclusive),
    },
  };
}

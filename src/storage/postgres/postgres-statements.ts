/** The SQL the PostgreSQL backend runs; one place, so reviews see every statement and its locking. */
export const SQL = {
  // Several gets of one event-loop turn in one round trip (see postgres-read-batch.ts).
  getMany: 'SELECT key, value, revision FROM kv WHERE key = ANY($1::bytea[])',
  // Locks the existing rows of a batch in key order (a fixed order makes deadlocks between batches rarer).
  lockRevisions: 'SELECT key, revision FROM kv WHERE key = ANY($1::bytea[]) ORDER BY key FOR UPDATE',
  // For a key that did not exist when locked: a concurrent creator makes this return no row (retry, then CAS).
  insert:
    'INSERT INTO kv (key, value, revision) VALUES ($1, $2, 1) ON CONFLICT (key) DO NOTHING RETURNING revision',
  update: 'UPDATE kv SET value = $2, revision = $3 WHERE key = $1',
  delete: 'DELETE FROM kv WHERE key = $1',
  listFromInclusive: 'SELECT key FROM kv WHERE key >= $1 ORDER BY key LIMIT $2',
  listFromExclusive: 'SELECT key FROM kv WHERE key > $1 ORDER BY key LIMIT $2',
  listRangeInclusive: 'SELECT key FROM kv WHERE key >= $1 AND key < $2 ORDER BY key LIMIT $3',
  listRangeExclusive: 'SELECT key FROM kv WHERE key > $1 AND key < $2 ORDER BY key LIMIT $3',
} as const;

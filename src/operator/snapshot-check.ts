import { hushError } from '../core/errors/index.js';
import type { StorageBackend } from '../storage/backend.js';
import { RowDigest, type RowSummary } from './row-digest.js';
import { walkRows } from './walk-rows.js';

/** Count and SHA-256 of every row of a backend (but `skip`), in key order. */
export async function digestBackend(
  backend: Pick<StorageBackend, 'get' | 'list'>,
  skip?: string,
): Promise<RowSummary> {
  const digest = new RowDigest();
  for await (const row of walkRows(backend, skip !== undefined ? { skip } : {}))
    digest.add(row.key, row.value);
  return digest.result();
}

/** Fail unless `backend` still adds up to `expected` (the source did not change while a snapshot read it). */
export async function compareDigest(
  backend: Pick<StorageBackend, 'get' | 'list'>,
  expected: RowSummary,
): Promise<void> {
  const now = await digestBackend(backend);
  if (now.rows !== expected.rows || now.sha256 !== expected.sha256) {
    throw hushError('SOURCE_CHANGED_WHILE_SNAPSHOT_TAKEN', { rows: expected.rows, rows2: now.rows });
  }
}

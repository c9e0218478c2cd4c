import { hushError } from '../core/errors/index.js';
import type { BatchOp, StorageBackend } from '../storage/backend.js';
import { countKeys } from './migrate-preflight.js';
import type { UnsealRoot } from './root-key.js';
import type { RowSummary } from './row-digest.js';
import { digestBackend } from './snapshot-check.js';
import { readSnapshot, type SnapshotRow } from './snapshot-read.js';
import type { SnapshotSummary } from './snapshot-save.js';
import { walkRows } from './walk-rows.js';

/** What {@link restoreSnapshot} needs. */
export interface RestoreSnapshotOptions {
  readonly file: string;
  readonly target: StorageBackend;
  readonly unsealRoot: UnsealRoot;
  /** Replace a non-empty target's rows (rows not in the snapshot are deleted). */
  readonly force?: boolean;
  /** The target as shown in messages (password masked). */
  readonly label: string;
}

/** The outcome of a restore. */
export interface RestoreResult {
  readonly snapshot: SnapshotSummary;
  /** The target after the restore (equal to the snapshot's count and SHA-256). */
  readonly target: RowSummary;
  /** Rows of a forced target that were not in the snapshot and were deleted. */
  readonly removed: number;
}

/**
 * Restore a snapshot into `target`: check the whole file first (every chunk and the trailer), then write every row
 * in ONE atomic batch (a crash leaves the target as it was), then hash the target and compare it with the
 * snapshot. A non-empty target is refused unless `force`.
 *
 * @example
 * await restoreSnapshot({ file: 'hush.snap', target, unsealRoot, label: 'sqlite:/srv/hush' });
 */
export async function restoreSnapshot(options: RestoreSnapshotOptions): Promise<RestoreResult> {
  const { target, label } = options;
  const existing = await countKeys(target);
  if (existing > 0 && !options.force) {
    throw hushError('TARGET_NOT_EMPTY_ROWS', { label, existing }, { targetRows: existing });
  }
  const rows: SnapshotRow[] = [];
  const snapshot = await readSnapshot(options.file, options.unsealRoot, (chunk) => {
    for (const row of chunk) rows.push(row);
  });
  const ops: BatchOp[] = [];
  let removed = 0;
  if (existing > 0) {
    const keep = new Set(rows.map((r) => r.key));
    for await (const row of walkRows(target)) {
      if (!keep.has(row.key)) {
        ops.push({ op: 'delete', key: row.key });
        removed += 1;
      }
    }
  }
  for (const row of rows) ops.push({ op: 'put', key: row.key, value: row.value });
  await target.batch(ops);
  const after = await digestBackend(target);
  if (after.rows !== snapshot.rows || after.sha256 !== snapshot.sha256) {
    throw hushError('AFTER_RESTORE_TARGET_HOLDS_ROWS', {
      label,
      rows: after.rows,
      rows2: snapshot.rows,
      value: after.sha256 === snapshot.sha256 ? 'match' : 'differ',
    });
  }
  const { header: _header, ...summary } = snapshot;
  return { snapshot: summary, target: after, removed };
}

import { createHash } from 'node:crypto';
import { hushError } from '../core/errors/index.js';
import type { BatchOp, StorageBackend } from '../storage/backend.js';
import { countKeys } from './migrate-preflight.js';
import type { UnsealRoot } from './root-key.js';
import type { RowSummary } from './row-digest.js';
import { digestBackend } from './snapshot-check.js';
import { readSnapshot, type SnapshotRow } from './snapshot-read.js';
import type { SnapshotSummary } from './snapshot-save.js';
import { RESTORE_MARK_KEY } from './unfinished-source.js';

/** Bytes of row values a restore holds before writing them as one target batch, unless told otherwise. */
export const DEFAULT_RESTORE_BATCH_BYTES = 8 << 20;
/** Rows per target batch, unless told otherwise (DynamoDB and PostgreSQL both prefer moderate transactions). */
export const DEFAULT_RESTORE_BATCH_ROWS = 500;

/** What {@link restoreSnapshot} needs. */
export interface RestoreSnapshotOptions {
  readonly file: string;
  readonly target: StorageBackend;
  readonly unsealRoot: UnsealRoot;
  /** Replace a non-empty target's rows (rows not in the snapshot are deleted). */
  readonly force?: boolean;
  /** The target as shown in messages (password masked). */
  readonly label: string;
  /** The most value bytes held in memory before a batch is written (one row may exceed it alone). */
  readonly maxBatchBytes?: number;
  /** The most rows per target batch. */
  readonly maxBatchRows?: number;
}

/** The outcome of a restore. */
export interface RestoreResult {
  readonly snapshot: SnapshotSummary;
  /** The target after the restore (equal to the snapshot's count and SHA-256). */
  readonly target: RowSummary;
  /** Rows of a forced target that were not in the snapshot and were deleted. */
  readonly removed: number;
  /** Target batches written, and the largest one's value bytes (the restore's buffer high-water mark). */
  readonly batches: number;
  readonly largestBatchBytes: number;
}

/**
 * Restore a snapshot into `target`, streaming: a first pass checks the whole file (every chunk, the trailer's count
 * and SHA-256) holding one chunk at a time, so a tampered or truncated file is refused before the target is
 * touched; a second pass writes the rows in bounded batches, each chunk compared with the digest the first pass
 * saw (a file changed between the passes stops the restore). A forced target is emptied after the check, before
 * the rows go in. Until the target is hashed at the end and found equal to the snapshot it holds RESTORE_MARK_KEY, so
 * an interrupted restore's partial target is refused as a migration or snapshot source.
 *
 * @example
 * await restoreSnapshot({ file: 'hush.snap', target, unsealRoot, label: 'sqlite:/srv/hush' });
 */
export async function restoreSnapshot(options: RestoreSnapshotOptions): Promise<RestoreResult> {
  const { target, label, file } = options;
  const maxBytes = options.maxBatchBytes ?? DEFAULT_RESTORE_BATCH_BYTES;
  const maxRows = options.maxBatchRows ?? DEFAULT_RESTORE_BATCH_ROWS;
  const existing = await countKeys(target);
  if (existing > 0 && !options.force) {
    throw hushError('TARGET_NOT_EMPTY_ROWS', { label, existing }, { targetRows: existing });
  }
  // Pass 1: check everything, keep 32 bytes per chunk.
  const seen: Buffer[] = [];
  const snapshot = await readSnapshot(
    file,
    options.unsealRoot,
    () => undefined,
    (index, envelope) => {
      seen[index] = chunkDigest(envelope);
    },
  );
  const removed = existing > 0 ? await emptyTarget(target, maxRows) : 0;
  // Until the target verifies it holds part of the rows at best: marked, so nothing takes it for a whole store.
  const mark = JSON.stringify({ format: 1, rows: snapshot.rows, sha256: snapshot.sha256 });
  await target.batch([{ op: 'put', key: RESTORE_MARK_KEY, value: Buffer.from(mark) }]);

  // Pass 2: write in bounded batches.
  let pending: BatchOp[] = [];
  let pendingBytes = 0;
  let batches = 0;
  let largestBatchBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    await target.batch(pending);
    batches += 1;
    largestBatchBytes = Math.max(largestBatchBytes, pendingBytes);
    pending = [];
    pendingBytes = 0;
  };
  const write = async (rows: SnapshotRow[]) => {
    for (const row of rows) {
      if (pending.length > 0 && (pendingBytes + row.value.length > maxBytes || pending.length >= maxRows)) {
        await flush();
      }
      pending.push({ op: 'put', key: row.key, value: row.value });
      pendingBytes += row.value.length;
    }
  };
  await readSnapshot(file, options.unsealRoot, write, (index, envelope) => {
    const before = seen[index];
    if (!before?.equals(chunkDigest(envelope))) {
      throw hushError('SNAPSHOT_CHANGED_DURING_RESTORE', { file, index, label });
    }
  });
  await flush();

  const after = await digestBackend(target, RESTORE_MARK_KEY);
  if (after.rows !== snapshot.rows || after.sha256 !== snapshot.sha256) {
    throw hushError('AFTER_RESTORE_TARGET_HOLDS_ROWS', {
      label,
      rows: after.rows,
      rows2: snapshot.rows,
      value: after.sha256 === snapshot.sha256 ? 'match' : 'differ',
    });
  }
  await target.batch([{ op: 'delete', key: RESTORE_MARK_KEY }]);
  const { header: _header, ...summary } = snapshot;
  return { snapshot: summary, target: after, removed, batches, largestBatchBytes };
}

function chunkDigest(envelope: Buffer): Buffer {
  return createHash('sha256').update(envelope).digest();
}

/** Delete every row of a forced target, a page of keys per batch; returns how many. */
async function emptyTarget(target: StorageBackend, pageSize: number): Promise<number> {
  let removed = 0;
  // Each page is deleted before the next listing, so listing from the start again sees only what is left.
  for (;;) {
    const { keys } = await target.list('', { limit: pageSize });
    if (keys.length === 0) return removed;
    await target.batch(keys.map((key) => ({ op: 'delete', key }) as const));
    removed += keys.length;
  }
}

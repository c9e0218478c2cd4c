import { hushError } from '../core/errors/index.js';
import type { StorageBackend } from '../storage/backend.js';
import { CHECKPOINT_KEY } from './migrate-checkpoint.js';

/**
 * The reserved key a snapshot restore writes before its first row and deletes once the target verifies: a target
 * left by an interrupted restore holds part of the rows, and must not pass for a whole store.
 */
export const RESTORE_MARK_KEY = 'sys/restore-in-progress';

/**
 * Refuse a source that is the target of an unfinished migration or snapshot restore: copying or saving it would
 * hand on a partial store as if it were whole.
 */
export async function refuseUnfinishedSource(
  source: Pick<StorageBackend, 'get'>,
  from: string,
): Promise<void> {
  if (await source.get(CHECKPOINT_KEY)) {
    throw hushError('SOURCE_TARGET_UNFINISHED_MIGRATION_HOLDS', { from, checkpointKey: CHECKPOINT_KEY });
  }
  if (await source.get(RESTORE_MARK_KEY)) {
    throw hushError('SOURCE_TARGET_UNFINISHED_RESTORE_HOLDS', { from, markKey: RESTORE_MARK_KEY });
  }
}

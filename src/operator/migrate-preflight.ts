import { hushError } from '../core/errors/index.js';
import type { StorageBackend } from '../storage/backend.js';
import { readCheckpoint, type StoredCheckpoint } from './migrate-checkpoint.js';
import { refuseUnfinishedSource } from './unfinished-source.js';

/** Count the keys of a backend by listing (no values read). */
export async function countKeys(backend: Pick<StorageBackend, 'list'>, skip?: string): Promise<number> {
  let count = 0;
  let after: string | undefined;
  do {
    const page = await backend.list('', after !== undefined ? { after } : {});
    count += page.keys.filter((k) => k !== skip).length;
    after = page.next;
  } while (after !== undefined);
  return count;
}

/** What the checks before a copy found. */
export interface Preflight {
  readonly sourceRows: number;
  /** The checkpoint of an interrupted migration from this same source, to resume. */
  readonly resume?: StoredCheckpoint;
}

/**
 * Check that a copy may start: the source has rows and is not itself an unfinished target (of a migration or a
 * restore), and the target is
 * either empty or holds an interrupted migration of this very source.
 */
export async function preflight(
  source: Pick<StorageBackend, 'list' | 'get'>,
  target: Pick<StorageBackend, 'list' | 'get'>,
  fingerprint: string,
  labels: { readonly from: string; readonly to: string },
): Promise<Preflight> {
  await refuseUnfinishedSource(source, labels.from);
  const sourceRows = await countKeys(source);
  if (sourceRows === 0) {
    throw hushError('SOURCE_HOLDS_NO_ROWS', { from: labels.from });
  }
  const resume = await readCheckpoint(target);
  if (resume) {
    if (resume.checkpoint.source !== fingerprint) {
      throw hushError('TARGET_HOLDS_UNFINISHED_MIGRATION_ANOTHER', {
        to: labels.to,
        sourceDisplay: resume.checkpoint.sourceDisplay,
      });
    }
    return { sourceRows, resume };
  }
  const first = await target.list('', { limit: 1 });
  if (first.keys.length > 0) {
    const rows = await countKeys(target);
    throw hushError('TARGET_NOT_EMPTY_ROWS_HOLDS', { to: labels.to, rows }, { targetRows: rows });
  }
  return { sourceRows };
}

import { HushError } from '../core/errors/hush-error.js';
import type { StorageBackend } from '../storage/backend.js';
import { CHECKPOINT_KEY, readCheckpoint, type StoredCheckpoint } from './migrate-checkpoint.js';

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
 * Check that a copy may start: the source has rows and is not itself an unfinished target, and the target is
 * either empty or holds an interrupted migration of this very source.
 */
export async function preflight(
  source: Pick<StorageBackend, 'list' | 'get'>,
  target: Pick<StorageBackend, 'list' | 'get'>,
  fingerprint: string,
  labels: { readonly from: string; readonly to: string },
): Promise<Preflight> {
  if (await source.get(CHECKPOINT_KEY)) {
    throw new HushError(
      'HUSH_E_USAGE',
      `the source ${labels.from} is the target of an unfinished migration (it holds ${CHECKPOINT_KEY}); finish that migration first`,
    );
  }
  const sourceRows = await countKeys(source);
  if (sourceRows === 0) {
    throw new HushError(
      'HUSH_E_NOT_INITIALIZED',
      `the source ${labels.from} holds no rows; check --from (it should name an initialised store)`,
    );
  }
  const resume = await readCheckpoint(target);
  if (resume) {
    if (resume.checkpoint.source !== fingerprint) {
      throw new HushError(
        'HUSH_E_ALREADY_EXISTS',
        `the target ${labels.to} holds an unfinished migration from another source (${resume.checkpoint.sourceDisplay}); rerun that migration, or choose an empty target`,
      );
    }
    return { sourceRows, resume };
  }
  const first = await target.list('', { limit: 1 });
  if (first.keys.length > 0) {
    const rows = await countKeys(target);
    throw new HushError(
      'HUSH_E_ALREADY_EXISTS',
      `the target ${labels.to} is not empty (${rows} rows) and holds no migration checkpoint from this source; migrate into an empty target (a new database, schema or data dir)`,
      { targetRows: rows },
    );
  }
  return { sourceRows };
}

import { type HushError, isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { BatchOp, StorageBackend } from '../storage/backend.js';
import { type Comparison, compareBackends } from './compare-backends.js';
import {
  CHECKPOINT_KEY,
  type Checkpoint,
  encodeCheckpoint,
  sourceFingerprint,
} from './migrate-checkpoint.js';
import { countKeys, preflight } from './migrate-preflight.js';
import type { RowSummary } from './row-digest.js';
import { walkPages } from './walk-rows.js';

/** Rows per page (and per target transaction) unless told otherwise. */
export const DEFAULT_MIGRATE_PAGE_SIZE = 500;

/** Progress of a running migration. */
export interface MigrateProgress {
  readonly phase: 'copy' | 'verify' | 'repair';
  /** Rows in the target so far (including those of earlier, interrupted runs). */
  readonly copied: number;
  readonly total: number;
}

/** What {@link migrateBackends} needs. */
export interface MigrateOptions {
  readonly source: StorageBackend;
  readonly target: StorageBackend;
  /** Masked labels for messages. */
  readonly labels: { readonly from: string; readonly to: string };
  /** Location identity of the source (fingerprint fallback when it holds no seal record). */
  readonly sourceLocation: string;
  readonly pageSize?: number;
  /** Count only: check both sides and report what a copy would do, writing nothing. */
  readonly dryRun?: boolean;
  readonly onProgress?: (progress: MigrateProgress) => void;
  /** Monotonic milliseconds (default performance.now). */
  readonly now?: () => number;
  readonly clock?: () => Date;
}

/** The outcome of a migration (or a dry run). */
export interface MigrateResult {
  readonly dryRun: boolean;
  readonly sourceRows: number;
  /** Rows already in the target from an interrupted run (0 for a fresh start). */
  readonly resumedAfter: number;
  /** Rows copied by this run. */
  readonly copied: number;
  /** Keys re-copied or removed because the source had changed during an earlier run. */
  readonly repaired: number;
  /** Wall time of the whole run, of the copy phase, and of the verification read of both sides. */
  readonly seconds: number;
  readonly copySeconds: number;
  readonly verifySeconds: number;
  /** Copy-phase throughput of this run (rows copied / copySeconds). */
  readonly rowsPerSecond: number;
  /** Present unless dry run: both sides after the copy, equal when verified. */
  readonly source?: RowSummary;
  readonly target?: RowSummary;
  readonly verified: boolean;
}

/**
 * Copy every row of `source` into `target` as stored bytes (ciphertext stays ciphertext: nothing is decrypted, no
 * unseal needed), one page per atomic target batch together with a checkpoint row, then verify both sides by count
 * and SHA-256 and remove the checkpoint. A rerun after a crash resumes after the checkpoint's last key; a rerun
 * after a failed verification (the source changed) re-copies the differing keys, then verifies again.
 *
 * @example
 * const result = await migrateBackends({ source, target, labels: { from, to }, sourceLocation: from });
 */
export async function migrateBackends(options: MigrateOptions): Promise<MigrateResult> {
  const { source, target, labels } = options;
  const now = options.now ?? (() => performance.now());
  const clock = options.clock ?? (() => new Date());
  const started = now();
  const fingerprint = await sourceFingerprint(source, options.sourceLocation);
  const pre = await preflight(source, target, fingerprint, labels);
  const resumedAfter = pre.resume?.checkpoint.copied ?? 0;
  const elapsed = () => Math.max((now() - started) / 1000, 1e-6);
  if (options.dryRun) {
    return {
      dryRun: true,
      sourceRows: pre.sourceRows,
      resumedAfter,
      copied: 0,
      repaired: 0,
      seconds: elapsed(),
      copySeconds: 0,
      verifySeconds: 0,
      rowsPerSecond: 0,
      verified: false,
    };
  }
  let checkpoint: Checkpoint = pre.resume?.checkpoint ?? {
    format: 1,
    source: fingerprint,
    sourceDisplay: labels.from,
    lastKey: null,
    copied: 0,
    phase: 'copying',
    startedAt: clock().toISOString(),
  };
  let revision = pre.resume?.revision ?? 0;
  const writeCheckpoint = async (rows: BatchOp[], next: Checkpoint) => {
    await target.batch([
      ...rows,
      { op: 'put', key: CHECKPOINT_KEY, value: encodeCheckpoint(next), expectedRevision: revision },
    ]);
    revision += 1;
    checkpoint = next;
  };
  if (revision === 0) await guard(writeCheckpoint([], checkpoint), labels.to);

  let copied = 0;
  const copyStarted = now();
  const report = (phase: MigrateProgress['phase']) =>
    options.onProgress?.({ phase, copied: checkpoint.copied, total: pre.sourceRows });
  if (checkpoint.phase === 'copying') {
    const pages = walkPages(source, {
      ...(checkpoint.lastKey !== null ? { after: checkpoint.lastKey } : {}),
      pageSize: options.pageSize ?? DEFAULT_MIGRATE_PAGE_SIZE,
    });
    for await (const page of pages) {
      // expectedRevision 0: a row already in the target means someone else writes to it; stop rather than overwrite.
      const ops: BatchOp[] = page.map((row) => ({
        op: 'put',
        key: row.key,
        value: row.value,
        expectedRevision: 0,
      }));
      const last = page[page.length - 1]!.key;
      await guard(
        writeCheckpoint(ops, { ...checkpoint, lastKey: last, copied: checkpoint.copied + page.length }),
        labels.to,
      );
      copied += page.length;
      report('copy');
    }
  }

  const copySeconds = Math.max((now() - copyStarted) / 1000, 1e-6);
  let repaired = 0;
  if (checkpoint.phase === 'copied') {
    // An earlier run copied everything but did not verify: bring the differing keys in line with the source.
    report('repair');
    repaired = await repair(source, target);
  }
  report('verify');
  const verifyStarted = now();
  // Verification reads with full pages whatever the copy's page size: it writes nothing, so it needs no small steps.
  const comparison = await compareBackends(source, target, { skip: CHECKPOINT_KEY });
  if (!comparison.equal) {
    if (checkpoint.phase === 'copying')
      await guard(writeCheckpoint([], { ...checkpoint, phase: 'copied' }), labels.to);
    throw sourceChanged(comparison, labels);
  }
  await guard(target.batch([{ op: 'delete', key: CHECKPOINT_KEY, expectedRevision: revision }]), labels.to);
  const seconds = elapsed();
  return {
    dryRun: false,
    sourceRows: pre.sourceRows,
    resumedAfter,
    copied,
    repaired,
    seconds,
    copySeconds,
    verifySeconds: (now() - verifyStarted) / 1000,
    rowsPerSecond: Math.round(copied / copySeconds),
    source: comparison.source,
    target: comparison.target,
    verified: true,
  };
}

/** Re-copy (or remove) every target key that differs from the source; returns how many. */
async function repair(source: Pick<StorageBackend, 'get' | 'list'>, target: StorageBackend): Promise<number> {
  const comparison = await compareBackends(source, target, {
    skip: CHECKPOINT_KEY,
    maxListed: Number.POSITIVE_INFINITY,
  });
  for (const { key } of comparison.differences) {
    const [wanted, current] = await Promise.all([source.get(key), target.get(key)]);
    const expectedRevision = current?.revision ?? 0;
    if (wanted) await target.put(key, wanted.value, expectedRevision);
    else if (current) await target.delete(key, expectedRevision);
  }
  return comparison.differenceCount;
}

function sourceChanged(c: Comparison, labels: { readonly from: string }): HushError {
  const listed = c.differences.map((d) => `${d.key} (${d.difference})`).join(', ');
  const more =
    c.differenceCount > c.differences.length ? `, and ${c.differenceCount - c.differences.length} more` : '';
  return hushError(
    'VERIFICATION_FAILED_SOURCE_CHANGED_DURING',
    {
      from: labels.from,
      rows: c.source.rows,
      sha256: c.source.sha256.slice(0, 16),
      rows2: c.target.rows,
      sha2562: c.target.sha256.slice(0, 16),
      differenceCount: c.differenceCount,
      listed,
      more,
    },
    { sourceRows: c.source.rows, targetRows: c.target.rows, differingKeys: c.differenceCount },
  );
}

/** A conflict on the target means another writer (or a second migration) is using it: say so. */
async function guard<T>(work: Promise<T>, to: string): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isHushError(err, 'HUSH_E_CAS_CONFLICT')) {
      throw hushError('TARGET_CHANGED_UNDER_MIGRATION_ANOTHER', { to });
    }
    throw err;
  }
}

export { countKeys };

import { createHash } from 'node:crypto';
import { hushError } from '../core/errors/index.js';
import type { StorageBackend } from '../storage/backend.js';
import { SEAL_KEY } from '../store/storage-keys.js';

/**
 * The reserved target key that holds a migration's progress. It is written in the same atomic batch as each page of
 * rows, so it always names the last row that is really in the target, and it is deleted once the copy verifies.
 */
export const CHECKPOINT_KEY = 'sys/migration-checkpoint';

/** What the checkpoint row holds (JSON; no secret material: a source fingerprint, a key, counts). */
export interface Checkpoint {
  readonly format: 1;
  /** Fingerprint of the source, so a rerun resumes only a migration from the same store. */
  readonly source: string;
  /** The source as shown to the operator (password masked). */
  readonly sourceDisplay: string;
  /** The last key copied (rows up to and including it are in the target); null before the first page. */
  readonly lastKey: string | null;
  readonly copied: number;
  /** `copied` once every page is in; a rerun in this phase repairs the differing keys, then verifies. */
  readonly phase: 'copying' | 'copied';
  readonly startedAt: string;
}

/** A checkpoint as read from the target, with its revision for check-and-set. */
export interface StoredCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly revision: number;
}

/**
 * Fingerprint a source: the SHA-256 of its seal record row (unique per store: it holds a random nonce), else of its
 * location. Moving a SQLite file between attempts therefore still resumes.
 */
export async function sourceFingerprint(
  source: Pick<StorageBackend, 'get'>,
  location: string,
): Promise<string> {
  const seal = await source.get(SEAL_KEY);
  const hash = createHash('sha256').update('hush-migrate-source\0');
  return (
    seal ? hash.update('seal\0').update(seal.value) : hash.update('location\0').update(location)
  ).digest('hex');
}

/** Read and parse the target's checkpoint, if any. */
export async function readCheckpoint(
  target: Pick<StorageBackend, 'get'>,
): Promise<StoredCheckpoint | undefined> {
  const entry = await target.get(CHECKPOINT_KEY);
  if (!entry) return undefined;
  try {
    const checkpoint = JSON.parse(entry.value.toString('utf8')) as Checkpoint;
    if (
      checkpoint.format === 1 &&
      typeof checkpoint.source === 'string' &&
      typeof checkpoint.copied === 'number'
    )
      return { checkpoint, revision: entry.revision };
  } catch {
    // reported below
  }
  throw hushError('MIGRATION_CHECKPOINT_MALFORMED', { checkpointKey: CHECKPOINT_KEY });
}

/** Serialise a checkpoint row. */
export function encodeCheckpoint(checkpoint: Checkpoint): Buffer {
  return Buffer.from(JSON.stringify(checkpoint), 'utf8');
}

import { HushError } from '../core/errors/hush-error.js';
import type { BatchOp } from './backend.js';

/** Raise HUSH_E_CAS_CONFLICT when a batch op's expected revision does not match the stored one. */
export function checkRevision(op: BatchOp, actual: number): void {
  if (op.expectedRevision === undefined || op.expectedRevision === actual) return;
  throw new HushError(
    'HUSH_E_CAS_CONFLICT',
    `check-and-set failed for ${op.key}: expected revision ${op.expectedRevision}, found ${actual}; read it again and retry`,
    { key: op.key, expected: op.expectedRevision, found: actual },
  );
}

import { hushError } from '../core/errors/index.js';
import type { BatchOp } from './backend.js';

/** Raise HUSH_E_CAS_CONFLICT when a batch op's expected revision does not match the stored one. */
export function checkRevision(op: BatchOp, actual: number): void {
  if (op.expectedRevision === undefined || op.expectedRevision === actual) return;
  throw hushError(
    'CHECK_SET_FAILED_EXPECTED_REVISION',
    { key: op.key, expectedRevision: op.expectedRevision, actual },
    { key: op.key, expected: op.expectedRevision, found: actual },
  );
}

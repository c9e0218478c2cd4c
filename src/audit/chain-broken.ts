import type { ChainHead } from '../core/audit/audit-record.js';
import type { ChainProblem } from '../core/audit/verify-chain.js';
import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { verifyAuditFiles } from './read-audit-files.js';

/** The HUSH_E_INTEGRITY error for a broken chain: what kind of damage, at which file and line, and which seq. */
export function chainBrokenError(problem: ChainProblem, checked: number): HushError {
  const where = problem.file ? `${problem.file}:${problem.line}` : `line ${problem.line}`;
  return hushError(
    'AUDIT_CHAIN_BROKEN_SEQ_RECORDS',
    { kind: problem.kind, where, value: problem.seq ?? '?', message: problem.message, checked },
    { kind: problem.kind, line: problem.line, ...(problem.seq !== null ? { seq: problem.seq } : {}) },
  );
}

/**
 * Verify the chain of an audit directory (against `expectHead`, the head kept in the store, when known) before
 * anything is concluded from it (the incident report): resolves when intact, else throws {@link chainBrokenError}
 * unless `allowUnverified`, when it returns the problem instead.
 */
export async function verifyBeforeUse(
  dir: string,
  fileName: string,
  allowUnverified = false,
  expectHead?: ChainHead,
): Promise<ChainProblem | undefined> {
  const result = await verifyAuditFiles(dir, { fileName, ...(expectHead ? { expectHead } : {}) });
  if (!result.problem) return undefined;
  if (!allowUnverified) throw chainBrokenError(result.problem, result.checked);
  return result.problem;
}

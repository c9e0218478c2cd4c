import { compileGlob } from '../policy/path-glob.js';
import type { AuditOutcome, AuditRecord } from './audit-record.js';

/** Criteria for {@link searchAudit}; all given criteria must match. */
export interface AuditQuery {
  /** A policy-style glob (`payments/**`, `payments/*\/db`) or an exact path. */
  readonly path?: string;
  readonly identity?: string;
  readonly outcome?: AuditOutcome;
  readonly operation?: string;
  readonly requestId?: string;
  /** Inclusive lower bound on `time`. */
  readonly since?: Date;
  /** Exclusive upper bound on `time`. */
  readonly until?: Date;
}

/**
 * Select the records matching `query`, in input order (`hush audit search`).
 *
 * @example
 * searchAudit(records, { path: 'payments/**', outcome: 'denied', since: new Date('2026-06-01') });
 */
export function searchAudit(records: Iterable<AuditRecord>, query: AuditQuery): AuditRecord[] {
  const match = createAuditMatcher(query);
  const out: AuditRecord[] = [];
  for (const r of records) if (match(r)) out.push(r);
  return out;
}

/** Compile `query` once into a predicate, for streaming search over large logs. */
export function createAuditMatcher(query: AuditQuery): (record: AuditRecord) => boolean {
  const glob = query.path === undefined ? undefined : compileGlob(query.path);
  const since = query.since?.getTime();
  const until = query.until?.getTime();
  return (r) => {
    if (glob && (r.path === null || !safeMatch(glob, r.path))) return false;
    if (query.identity !== undefined && r.identity !== query.identity) return false;
    if (query.outcome !== undefined && r.outcome !== query.outcome) return false;
    if (query.operation !== undefined && r.operation !== query.operation) return false;
    if (query.requestId !== undefined && r.requestId !== query.requestId) return false;
    if (since !== undefined || until !== undefined) {
      const t = Date.parse(r.time);
      if (Number.isNaN(t)) return false;
      if (since !== undefined && t < since) return false;
      if (until !== undefined && t >= until) return false;
    }
    return true;
  };
}

/** Records may hold paths that are not valid secret paths (e.g. a rejected request); they simply do not match. */
function safeMatch(glob: ReturnType<typeof compileGlob>, path: string): boolean {
  try {
    return glob.matches(path);
  } catch {
    return false;
  }
}

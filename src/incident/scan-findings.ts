import { randomBytes } from 'node:crypto';
import {
  openSealedView,
  type SealedView,
  type SealedViewSpec,
  type ViewBackend,
  type ViewBarrier,
} from '../store/sealed-view/index.js';

/**
 * One finding as a scan reports it to the server: where and by which rule, never the value. `fingerprint` is the
 * scanner's SHA-256 of `ruleId:secret` (what baselines key on), so the same leak reported twice is recognisable.
 */
export interface ReportedFinding {
  readonly fingerprint: string;
  readonly rule: string;
  readonly file: string;
  readonly line: number;
  /** The stored secret whose value this is, when the known-secrets matcher found one the reporter may read. */
  readonly storedPath?: string;
}

/** What a scan sends: its findings and an optional label of what was scanned (a repository, a CI job). */
export interface FindingsInput {
  readonly source?: string;
  readonly findings: readonly ReportedFinding[];
}

/** A stored report: the input, who sent it and when. */
export interface FindingsReport extends FindingsInput {
  readonly id: string;
  readonly reportedAt: string;
  readonly reportedBy: string;
}

/** The scan findings service: store a report, list the newest. */
export interface ScanFindings {
  report(reportedBy: string, input: FindingsInput): Promise<FindingsReport>;
  /** The newest `limit` reports, newest first. */
  list(limit: number): Promise<FindingsReport[]>;
}

/** Reports are sealed under their own reserved keyring: file names and rule ids stay out of storage in the clear. */
export const SCAN_FINDINGS_KEYRING = { project: '@scan-findings', environment: 'v1' } as const;
/** Storage prefix of the reports; the key after it starts with the report time, so keys sort oldest first. */
export const SCAN_FINDINGS_PREFIX = 'scan/findings/';

/** The reports' view: sealed under their own keyring, below `scan/findings/`. */
export const SCAN_FINDINGS_VIEW: SealedViewSpec = {
  name: 'scan-findings',
  prefixes: [SCAN_FINDINGS_PREFIX],
  keyring: SCAN_FINDINGS_KEYRING,
  info: { lookup: 'hush scan-findings lookup v1', record: 'hush scan-findings record v1' },
};

/** The findings service over sealed records (wiped from memory when the store seals). */
export function createScanFindings(deps: {
  readonly readBackend: ViewBackend;
  readonly barrier: ViewBarrier;
  readonly clock?: () => Date;
}): ScanFindings {
  const records: SealedView = openSealedView(deps.readBackend, deps.barrier, SCAN_FINDINGS_VIEW);
  const clock = deps.clock ?? (() => new Date());
  return {
    async report(reportedBy, input) {
      const at = clock();
      // Zero-padded milliseconds first: storage lists keys in order, so the newest reports are the last keys.
      const id = `${String(at.getTime()).padStart(15, '0')}_${randomBytes(8).toString('hex')}`;
      const stored: FindingsReport = { id, reportedAt: at.toISOString(), reportedBy, ...input };
      await records.batch([{ op: 'put', key: `${SCAN_FINDINGS_PREFIX}${id}`, value: stored }]);
      return stored;
    },
    async list(limit) {
      const keys = (await records.keys(SCAN_FINDINGS_PREFIX)).sort().reverse().slice(0, limit);
      const out: FindingsReport[] = [];
      for (const key of keys) {
        const row = await records.get<FindingsReport>(key);
        if (row) out.push(row.value);
      }
      return out;
    },
  };
}

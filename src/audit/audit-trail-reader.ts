import type { AuditRecord, ChainHead } from '../core/audit/audit-record.js';
import type { AuditQuery } from '../core/audit/search-audit.js';
import type { ChainProblem } from '../core/audit/verify-chain.js';
import { readAuditFiles, type SearchHit, searchAuditFiles, verifyAuditFiles } from './read-audit-files.js';
import { findStoredHead, firstRecordOf, type HeadRecords } from './stored-head.js';

/** Where a server's trail lives, and the store's records keeping its head (when the server keeps one). */
export interface AuditTrailSource {
  readonly dir: string;
  readonly fileName: string;
  readonly heads?: HeadRecords;
  /** The store holds only this server's chain (SQLite): a mismatching head is reported, not skipped. */
  readonly onlyChain: boolean;
}

/** The chain's state for the console's audit page: verified or not, where, and the head the store keeps. */
export interface TrailVerification {
  readonly ok: boolean;
  readonly checked: number;
  readonly head: ChainHead;
  readonly problem?: ChainProblem;
  readonly outcomeUnknownCount: number;
  /** The head kept in the store (synced periodically, so it may trail the files' head). */
  readonly storedHead?: ChainHead & { readonly updatedAt: string };
  /** Why the files do not reach the stored head (records cut from the end, an edited record). */
  readonly storedHeadProblem?: string;
}

/** A page of search hits, newest first. */
export interface TrailPage {
  readonly records: SearchHit[];
  /** More records matched than `limit`; the oldest were left off. */
  readonly truncated: boolean;
}

/**
 * Read a server's audit trail back (the console's audit pages, the policy simulator): search, one request's
 * records, and the chain's verification against the head kept in the store.
 */
export function createAuditTrailReader(source: AuditTrailSource) {
  const { dir, fileName } = source;
  return {
    /** Every record matching `query`, oldest first (a write's `requested` record folded into its outcome). */
    records: (query: AuditQuery): AsyncIterable<SearchHit> => searchAuditFiles(dir, query, fileName),

    /** The newest `limit` records matching `query`, newest first. */
    async search(query: AuditQuery, limit: number): Promise<TrailPage> {
      const kept: SearchHit[] = [];
      let truncated = false;
      for await (const r of searchAuditFiles(dir, query, fileName)) {
        kept.push(r);
        if (kept.length > limit) {
          kept.shift();
          truncated = true;
        }
      }
      return { records: kept.reverse(), truncated };
    },

    /** Every record of one request (its `requested` record and its outcome), in chain order. */
    async request(requestId: string): Promise<AuditRecord[]> {
      const out: AuditRecord[] = [];
      for await (const r of searchAuditFiles(dir, { requestId, outcome: 'requested' }, fileName)) out.push(r);
      for await (const r of searchAuditFiles(dir, { requestId }, fileName)) out.push(r);
      const unique = new Map(out.map((r) => [r.seq, r]));
      return [...unique.values()].sort((a, b) => a.seq - b.seq);
    },

    /** Verify the chain across the files, and against the stored head when there is one. */
    async verify(): Promise<TrailVerification> {
      const first = await firstRecordOf(readAuditFiles(dir, fileName));
      const result = await verifyAuditFiles(dir, {
        fileName,
        ...(first && first.seq !== 1 ? { start: 'any' as const } : {}),
      });
      const found = source.heads
        ? await findStoredHead(source.heads, dir, fileName, { onlyChain: source.onlyChain })
        : undefined;
      return {
        ok: result.ok && !found?.why,
        checked: result.checked,
        head: result.head,
        ...(result.problem ? { problem: result.problem } : {}),
        outcomeUnknownCount: result.outcomeUnknownCount,
        ...(found
          ? {
              storedHead: {
                seq: found.stored.seq,
                hash: found.stored.hash,
                updatedAt: found.stored.updatedAt,
              },
              ...(found.why ? { storedHeadProblem: found.why } : {}),
            }
          : {}),
      };
    },
  };
}

/** The audit trail reader's API. */
export type AuditTrailReader = ReturnType<typeof createAuditTrailReader>;

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type AuditRecord, parseAuditLine } from '../core/audit/audit-record.js';
import { type AuditQuery, createAuditMatcher } from '../core/audit/search-audit.js';
import {
  type AuditLine,
  createChainVerifier,
  type VerifyOptions,
  type VerifyResult,
} from '../core/audit/verify-chain.js';
import { DEFAULT_AUDIT_FILE, listAuditFiles } from './audit-files.js';

/**
 * Stream every line of an audit directory in chain order (oldest rotated file first, live file last), each with
 * its file name and 1-based line number. Memory use is one line at a time.
 *
 * @example
 * for await (const line of readAuditFiles('/var/lib/hush/audit')) console.log(line.file, line.line);
 */
export async function* readAuditFiles(dir: string, fileName = DEFAULT_AUDIT_FILE): AsyncGenerator<AuditLine> {
  for (const f of await listAuditFiles(dir, fileName)) {
    const rl = createInterface({
      input: createReadStream(f.path, { encoding: 'utf8' }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let line = 0;
    for await (const text of rl) yield { text, line: ++line, file: f.name };
  }
}

/** `hush audit verify`: verify the chain across all files of an audit directory. */
export async function verifyAuditFiles(
  dir: string,
  options: VerifyOptions & { fileName?: string } = {},
): Promise<VerifyResult> {
  const v = createChainVerifier(options);
  for await (const line of readAuditFiles(dir, options.fileName)) v.push(line);
  return v.finish();
}

/** A search hit; `outcomeUnknown` marks a `requested` write that no outcome record names (see verify). */
export type SearchHit = AuditRecord & { readonly outcomeUnknown?: true };

/**
 * `hush audit search`: stream the records of an audit directory matching `query` (malformed lines skipped).
 * A write's `requested` record is paired with its outcome record (which names it in `details.requestSeq`) and
 * not shown again; those never paired come last, marked `outcomeUnknown`. `unknownOnly` lists just those.
 */
export async function* searchAuditFiles(
  dir: string,
  query: AuditQuery,
  fileName = DEFAULT_AUDIT_FILE,
  options: { unknownOnly?: boolean } = {},
): AsyncGenerator<SearchHit> {
  const { outcome: _outcome, ...rest } = query;
  const match = createAuditMatcher(options.unknownOnly ? rest : query);
  const requested = query.outcome === 'requested' && !options.unknownOnly;
  const open = new Map<number, AuditRecord>();
  for await (const line of readAuditFiles(dir, fileName)) {
    const parsed = parseAuditLine(line.text);
    if (!parsed.ok) continue;
    const r = parsed.record;
    const of = r.details?.['requestSeq'];
    if (typeof of === 'number') open.delete(of);
    if (r.outcome === 'requested' && !requested) {
      if (match(r)) open.set(r.seq, r);
      continue;
    }
    if (!options.unknownOnly && match(r)) yield r;
  }
  for (const r of open.values()) yield { ...r, outcomeUnknown: true };
}

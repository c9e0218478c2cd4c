import { type AuditRecord, type ChainHead, GENESIS_HEAD, parseAuditLine } from './audit-record.js';
import { computeRecordHash } from './hash-chain.js';

/** One line of a JSONL audit file, with where it came from (for precise problem reports). */
export interface AuditLine {
  readonly text: string;
  /** 1-based line number within `file`. */
  readonly line: number;
  readonly file?: string;
}

/** What is wrong with a chain, and exactly where. */
export interface ChainProblem {
  readonly kind: 'edited' | 'deleted' | 'reordered' | 'inserted' | 'malformed';
  /** The seq of the record the problem is reported at (null when the line has none). */
  readonly seq: number | null;
  readonly line: number;
  readonly file?: string;
  readonly message: string;
}

/** A `requested` record (a write recorded before it ran) that no outcome record names: what became of it is unknown. */
export interface OutcomeUnknown {
  readonly seq: number;
  readonly requestId: string;
  readonly operation: string;
  readonly identity: string | null;
  readonly time: string;
  readonly line: number;
  readonly file?: string;
}

/** Most unpaired `requested` records listed (all are counted). */
const MAX_UNKNOWN_LISTED = 1000;

/** The outcome of verifying a chain. */
export interface VerifyResult {
  readonly ok: boolean;
  /** Records verified intact before the first problem (all of them when ok). */
  readonly checked: number;
  /** The last intact record: record it elsewhere and pass it as `expectHead` later to detect tail truncation. */
  readonly head: ChainHead;
  readonly problem?: ChainProblem;
  /**
   * Writes recorded as `requested` with no outcome record naming them (a crash between the two): not a chain
   * problem, but each may or may not have been applied. Listed up to 1000; `outcomeUnknownCount` counts them all.
   */
  readonly outcomeUnknown: readonly OutcomeUnknown[];
  readonly outcomeUnknownCount: number;
}

/** Options for {@link createChainVerifier}. */
export interface VerifyOptions {
  /** Where the chain starts: genesis by default; `'any'` trusts the first record (a sink that joined mid-chain). */
  readonly start?: ChainHead | 'any';
  /** A head recorded earlier: the log must reach it with the same hash, else records were cut from the end. */
  readonly expectHead?: ChainHead;
}

interface Last extends ChainHead {
  readonly line: number;
  readonly file?: string;
}

/** A streaming chain verifier: push lines in order, then finish. Memory use is constant. */
export interface ChainVerifier {
  push(line: AuditLine): void;
  finish(): VerifyResult;
}

/**
 * Create a streaming verifier (see {@link verifyChain}); use it for logs too large to hold in memory.
 */
export function createChainVerifier(options: VerifyOptions = {}): ChainVerifier {
  let last: Last | undefined =
    options.start === 'any' ? undefined : { ...(options.start ?? GENESIS_HEAD), line: 0 };
  let checked = 0;
  let problem: ChainProblem | undefined;
  // `requested` records still waiting for their outcome, by seq (a seq is the verifier's own position, not a
  // caller's choice); an outcome names its request's seq in `details.requestSeq`.
  const open = new Map<number, OutcomeUnknown>();
  // A seq gap is "deleted" unless the missing records turn up later ("reordered"): decided by reading on.
  let gap: { from: number; to: number; at: AuditLine; seq: number } | undefined;

  const where = (l: { line: number; file?: string }) => `${l.file ? `${l.file}:` : 'line '}${l.line}`;
  const report = (p: ChainProblem) => {
    problem = p;
  };

  function push(l: AuditLine): void {
    if (problem) return;
    if (gap) {
      const seq = looseSeq(l.text);
      if (seq !== undefined && seq >= gap.from && seq <= gap.to) {
        report({
          kind: 'reordered',
          seq: gap.seq,
          line: gap.at.line,
          ...(gap.at.file ? { file: gap.at.file } : {}),
          message: `record seq ${gap.seq} at ${where(gap.at)} comes before seq ${seq} at ${where(l)}: records were reordered`,
        });
      }
      return;
    }
    const at = { line: l.line, ...(l.file ? { file: l.file } : {}) };
    const parsed = parseAuditLine(l.text);
    if (!parsed.ok) {
      report({
        kind: 'malformed',
        seq: looseSeq(l.text) ?? null,
        ...at,
        message: `${where(l)}: ${parsed.reason}`,
      });
      return;
    }
    const r = parsed.record;
    if (computeRecordHash(r) !== r.hash) {
      report({
        kind: 'edited',
        seq: r.seq,
        ...at,
        message: `${where(l)} (seq ${r.seq}) was edited: its content no longer matches its hash`,
      });
      return;
    }
    if (last === undefined) {
      last = { seq: r.seq, hash: r.hash, ...at };
      checked++;
      pair(r, at);
      checkExpected(r, l);
      return;
    }
    const expected = last.seq + 1;
    if (r.seq > expected) {
      gap = { from: expected, to: r.seq - 1, at: l, seq: r.seq };
      return;
    }
    if (r.seq < expected) {
      report({
        kind: 'inserted',
        seq: r.seq,
        ...at,
        message: `${where(l)} has seq ${r.seq} but seq ${last.seq} was already seen at ${where(last)}: a record was inserted or duplicated`,
      });
      return;
    }
    if (r.prev !== last.hash) {
      const first = last.line === 0;
      report({
        kind: 'edited',
        seq: first ? r.seq : last.seq,
        ...(first ? at : { line: last.line, ...(last.file ? { file: last.file } : {}) }),
        message: first
          ? `${where(l)} (seq ${r.seq}) does not link to the start of the chain: it was edited and re-hashed`
          : `the chain breaks between ${where(last)} (seq ${last.seq}) and ${where(l)} (seq ${r.seq}): one of them was edited and re-hashed`,
      });
      return;
    }
    last = { seq: r.seq, hash: r.hash, ...at };
    checked++;
    pair(r, at);
    checkExpected(r, l);
  }

  // The head noted earlier is checked where it stands, not only at the end: a log rewritten and re-hashed before
  // it, then grown past it, still changes the hash of the record at that seq.
  function checkExpected(r: AuditRecord, l: AuditLine): void {
    const want = options.expectHead;
    if (!want || r.seq !== want.seq || r.hash === want.hash) return;
    report({
      kind: 'edited',
      seq: r.seq,
      line: l.line,
      ...(l.file ? { file: l.file } : {}),
      message: `${where(l)} (seq ${r.seq}) differs from the head noted earlier: it or a record before it was edited and the chain re-hashed`,
    });
  }

  function pair(r: AuditRecord, at: { line: number; file?: string }): void {
    if (r.outcome === 'requested') {
      open.set(r.seq, {
        seq: r.seq,
        requestId: r.requestId,
        operation: r.operation,
        identity: r.identity,
        time: r.time,
        ...at,
      });
      return;
    }
    const of = r.details?.['requestSeq'];
    if (typeof of === 'number') open.delete(of);
  }

  function finish(): VerifyResult {
    if (!problem && gap) {
      const missing = gap.from === gap.to ? `seq ${gap.from} is` : `seqs ${gap.from}-${gap.to} are`;
      report({
        kind: 'deleted',
        seq: gap.seq,
        line: gap.at.line,
        ...(gap.at.file ? { file: gap.at.file } : {}),
        message: `record ${missing} missing before ${where(gap.at)} (seq ${gap.seq}): records were deleted`,
      });
    }
    const head: ChainHead = last ? { seq: last.seq, hash: last.hash } : GENESIS_HEAD;
    const want = options.expectHead;
    if (!problem && want && (head.seq < want.seq || (head.seq === want.seq && head.hash !== want.hash))) {
      report({
        kind: head.seq < want.seq ? 'deleted' : 'edited',
        seq: head.seq,
        line: last?.line ?? 0,
        ...(last?.file ? { file: last.file } : {}),
        message:
          head.seq < want.seq
            ? `the log ends at seq ${head.seq} but seq ${want.seq} was recorded earlier: records were deleted from the end`
            : `record seq ${head.seq} differs from the head recorded earlier: it was edited and re-hashed`,
      });
    }
    const unknown = {
      outcomeUnknown: [...open.values()].slice(0, MAX_UNKNOWN_LISTED),
      outcomeUnknownCount: open.size,
    };
    return problem
      ? { ok: false, checked, head, problem, ...unknown }
      : { ok: true, checked, head, ...unknown };
  }

  return { push, finish };
}

/**
 * Verify a hash-chained audit log given as lines in order. Detects edited, deleted, reordered, inserted and
 * malformed records and names the first one (file, line, seq). Records cut from the very end are only detectable
 * against a head recorded elsewhere (`expectHead`).
 *
 * @example
 * const r = verifyChain(lines); if (!r.ok) console.error(r.problem.message);
 */
export function verifyChain(lines: Iterable<AuditLine>, options: VerifyOptions = {}): VerifyResult {
  const v = createChainVerifier(options);
  for (const l of lines) v.push(l);
  return v.finish();
}

/** Lines for a list of in-memory records (line n = records[n-1]), for verifying values rather than files. */
export function toAuditLines(records: readonly unknown[]): AuditLine[] {
  return records.map((r, i) => ({ text: JSON.stringify(r), line: i + 1 }));
}

function looseSeq(text: string): number | undefined {
  const m = /"seq":(\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

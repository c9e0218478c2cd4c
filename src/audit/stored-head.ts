import type { AuditRecord, ChainHead } from '../core/audit/audit-record.js';
import type { VerifyResult } from '../core/audit/verify-chain.js';
import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { readAuditFiles, verifyAuditFiles } from './read-audit-files.js';

/** Storage key prefix of the audit chain heads kept in the store (one per chain: a chain is named by its seq 1). */
export const AUDIT_HEAD_PREFIX = 'sys/audit/head/';

/** The head of one audit chain as the store keeps it (sealed under the barrier like every other record). */
export interface StoredAuditHead extends ChainHead {
  /** The hash of the chain's first record: which chain (file set) this head belongs to. */
  readonly chain: string;
  readonly updatedAt: string;
}

/** The slice of an encrypted record store the head needs (identity's SealedView fits). */
export interface HeadRecords {
  get<T>(key: string): Promise<{ readonly value: T } | undefined>;
  keys(prefix: string): Promise<string[]>;
  batch(ops: readonly { op: 'put'; key: string; value: unknown }[]): Promise<void>;
}

const keyOf = (chain: string) => `${AUDIT_HEAD_PREFIX}${chain.slice(0, 32)}`;

/** Read the stored head of the chain whose first record has hash `chain`; undefined when none was stored. */
export async function readStoredHead(
  records: HeadRecords,
  chain: string,
): Promise<StoredAuditHead | undefined> {
  const found = await records.get<StoredAuditHead>(keyOf(chain));
  return found?.value.chain === chain ? found.value : undefined;
}

/**
 * Keep the store's copy of the chain head current as records are written: one write in flight at a time, the
 * newest head wins (a crash may leave it a few records behind the file, never ahead). Writes while the store is
 * sealed fail and are retried with the next record; `canWrite` says whether to try.
 */
export function createHeadKeeper(options: {
  readonly records: HeadRecords;
  readonly canWrite: () => boolean;
  readonly now?: () => Date;
  readonly onError?: (err: unknown) => void;
}) {
  const now = options.now ?? (() => new Date());
  let chain: string | undefined;
  let latest: ChainHead | undefined;
  let written = 0;
  let inFlight: Promise<void> | undefined;

  async function flush(): Promise<void> {
    while (latest && chain && latest.seq > written && options.canWrite()) {
      const head = latest;
      const value: StoredAuditHead = {
        seq: head.seq,
        hash: head.hash,
        chain,
        updatedAt: now().toISOString(),
      };
      try {
        await options.records.batch([{ op: 'put', key: keyOf(chain), value }]);
        written = head.seq;
      } catch (err) {
        options.onError?.(err);
        return;
      }
    }
  }

  return {
    /** The chain this log continues (hash of its seq 1), once known from the files at start. */
    setChain(first: string | undefined): void {
      chain = first;
    },
    /** Feed every durably written record (subscribe it to the audit log). */
    onRecord(record: AuditRecord): void {
      if (record.seq === 1) chain = record.hash;
      latest = { seq: record.seq, hash: record.hash };
      inFlight ??= flush().finally(() => {
        inFlight = undefined;
      });
    },
    /** Write the newest head now (after an unseal), and wait for writes in flight. */
    async sync(): Promise<void> {
      await inFlight;
      await flush();
    },
  };
}

/**
 * What a verify result says against the stored head: undefined when the files reach it with the same hash,
 * else a one-line description of what was cut or rewritten.
 */
export function headMismatch(stored: ChainHead, result: VerifyResult): string | undefined {
  if (!result.ok && result.problem) return result.problem.message;
  if (result.head.seq < stored.seq) {
    return `the audit files end at seq ${result.head.seq} but the store recorded seq ${stored.seq}: ${stored.seq - result.head.seq} record(s) were cut from the end`;
  }
  return undefined;
}

/** The refusal at start-up when the files do not reach the stored head. */
export function headCheckError(file: string, why: string): HushError {
  return hushError('AUDIT_TRAIL_NOT_MATCH_HEAD', { file, why });
}

/** The seq and hash of the first record of an audit directory; undefined when it holds none (or it is not JSON). */
export async function firstRecordOf(
  lines: AsyncIterable<{ readonly text: string }>,
): Promise<ChainHead | undefined> {
  for await (const line of lines) {
    try {
      const r = JSON.parse(line.text) as { seq?: unknown; hash?: unknown };
      return typeof r.seq === 'number' && typeof r.hash === 'string'
        ? { seq: r.seq, hash: r.hash }
        : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The hash of a chain's first record (seq 1) in an audit directory: the chain's name; undefined when empty. */
export async function chainIdOf(
  lines: AsyncIterable<{ readonly text: string }>,
): Promise<string | undefined> {
  const first = await firstRecordOf(lines);
  return first?.seq === 1 ? first.hash : undefined;
}

/**
 * The stored head of the chain in an audit directory, with what the files say against it (`why`, as
 * {@link headMismatch}). The chain is named by its seq 1; when that record is gone (the oldest rotated files were
 * archived, as docs/audit.md allows), the head is the stored one the files reach with the same hash at its seq,
 * or, when `onlyChain` (one SQLite node: one chain), the only head stored.
 */
export async function findStoredHead(
  records: HeadRecords,
  dir: string,
  fileName: string,
  options: { readonly onlyChain: boolean },
): Promise<{ stored: StoredAuditHead; why?: string } | undefined> {
  const first = await firstRecordOf(readAuditFiles(dir, fileName));
  if (!first) return undefined;
  if (first.seq === 1) {
    const stored = await readStoredHead(records, first.hash);
    if (!stored) return undefined;
    const why = headMismatch(stored, await verifyAuditFiles(dir, { fileName, expectHead: stored }));
    return why ? { stored, why } : { stored };
  }
  const keys = await records.keys(AUDIT_HEAD_PREFIX);
  for (const key of keys) {
    const stored = (await records.get<StoredAuditHead>(key))?.value;
    if (!stored) continue;
    const why = headMismatch(
      stored,
      await verifyAuditFiles(dir, { fileName, start: 'any', expectHead: stored }),
    );
    if (!why) return { stored };
    if (options.onlyChain && keys.length === 1) return { stored, why };
  }
  return undefined;
}

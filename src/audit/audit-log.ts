import {
  type AuditEvent,
  type AuditRecord,
  type ChainHead,
  GENESIS_HEAD,
} from '../core/audit/audit-record.js';
import { chainRecord } from '../core/audit/hash-chain.js';
import { redactEvent } from '../core/audit/redact.js';
import { HushError, isHushError } from '../core/errors/hush-error.js';
import type { AuditSink } from './audit-sink.js';

/** What a caller records per request; `time` is stamped by the log, absent identity fields default to null. */
export type AuditEventInput = Pick<AuditEvent, 'requestId' | 'operation' | 'outcome'> &
  Partial<Omit<AuditEvent, 'requestId' | 'operation' | 'outcome' | 'time'>>;

/** Options for {@link createAuditLog}. */
export interface AuditLogOptions {
  readonly sinks: readonly AuditSink[];
  /** Key for HMAC'ing sensitive fields (>= 32 bytes); `hush audit hash` needs the same key. */
  readonly hmacKey: Uint8Array;
  readonly now?: () => Date;
}

/** The server's audit trail. */
export interface AuditLog {
  /**
   * Redact, chain and write one record to every sink; resolves (with the record as written) only once every
   * required sink has it durably. Throws HUSH_E_AUDIT_UNAVAILABLE otherwise: the caller must then fail the request.
   */
  append(event: AuditEventInput): Promise<AuditRecord>;
  /** The newest record's position (seq and hash): publish it elsewhere to detect tail truncation later. */
  head(): ChainHead;
  close(): Promise<void>;
}

/**
 * Open the audit trail: resume the chain from the sinks' newest record, then serialise appends so concurrent
 * requests never fork the chain. Throws HUSH_E_CONFIG with no sinks, HUSH_E_AUDIT_UNAVAILABLE when a required sink
 * cannot be opened, and HUSH_E_INTEGRITY when sinks disagree about the chain.
 *
 * @example
 * const audit = await createAuditLog({ sinks: [createJsonlFileSink({ dir })], hmacKey });
 * await audit.append({ requestId, operation: 'secret.read', path, outcome: 'allowed', identity, tokenAccessor });
 */
export async function createAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const { sinks, hmacKey } = options;
  const now = options.now ?? (() => new Date());
  if (sinks.length === 0) {
    throw new HushError(
      'HUSH_E_CONFIG',
      'no audit sink is configured; configure a file or stdout audit sink',
    );
  }
  if (hmacKey.length < 32)
    throw new RangeError(`audit HMAC key is ${hmacKey.length} bytes; it must be at least 32`);
  let head = await resumeHead(sinks);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function write(input: AuditEventInput): Promise<AuditRecord> {
    if (closed)
      throw new HushError('HUSH_E_AUDIT_UNAVAILABLE', 'the audit log is closed; the request was refused');
    const event = redactEvent(hmacKey, { ...defaults(), ...input, time: now().toISOString() });
    const { record, head: next } = chainRecord(head, event);
    const results = await Promise.allSettled(sinks.map((s) => s.append(record)));
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ sink: sinks[i]!, error: r.reason }] : [],
    );
    // Advance once any sink holds the record, so sinks that failed show an honest gap rather than a reused seq.
    if (failed.length < sinks.length) head = next;
    if (failed.length === sinks.length || failed.some((f) => f.sink.required)) {
      const first = failed[0]?.error;
      const why = isHushError(first) ? first.message : String(first);
      throw new HushError(
        'HUSH_E_AUDIT_UNAVAILABLE',
        `the request was refused because it could not be audited (${failed.length} of ${sinks.length} sinks failed): ${why}`,
      );
    }
    return record;
  }

  return {
    append(input) {
      const run = queue.then(() => write(input));
      queue = run.catch(() => undefined);
      return run;
    },
    head: () => head,
    async close() {
      closed = true;
      await queue;
      await Promise.allSettled(sinks.map((s) => s.close()));
    },
  };
}

function defaults(): Omit<AuditEvent, 'requestId' | 'operation' | 'outcome' | 'time'> {
  return {
    identity: null,
    tokenAccessor: null,
    authMethod: null,
    sourceAddress: null,
    path: null,
    errorCode: null,
  };
}

/** The newest head any sink holds; sinks at the same seq with different hashes mean tampering or a mix-up. */
async function resumeHead(sinks: readonly AuditSink[]): Promise<ChainHead> {
  let best: ChainHead = GENESIS_HEAD;
  const seen = new Map<number, { sink: string; hash: string }>();
  for (const sink of sinks) {
    if (!sink.head) continue;
    let h: ChainHead | undefined;
    try {
      h = await sink.head();
    } catch (err) {
      if (!sink.required && !isHushError(err, 'HUSH_E_INTEGRITY')) continue;
      throw err;
    }
    if (!h) continue;
    const other = seen.get(h.seq);
    if (other && other.hash !== h.hash) {
      throw new HushError(
        'HUSH_E_INTEGRITY',
        `audit sinks ${other.sink} and ${sink.name} both end at seq ${h.seq} with different hashes; run \`hush audit verify\` on each`,
      );
    }
    seen.set(h.seq, { sink: sink.name, hash: h.hash });
    if (h.seq > best.seq) best = h;
  }
  return best;
}

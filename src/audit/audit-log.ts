import type { AuditEvent, AuditRecord, ChainHead } from '../core/audit/audit-record.js';
import { chainRecord } from '../core/audit/hash-chain.js';
import { redactEvent } from '../core/audit/redact.js';
import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { AuditSink } from './audit-sink.js';
import { resumeHead } from './resume-head.js';

/** What a caller records per request; `time` is stamped by the log, absent identity fields default to null. */
export type AuditEventInput = Pick<AuditEvent, 'requestId' | 'operation' | 'outcome'> &
  Partial<Omit<AuditEvent, 'requestId' | 'operation' | 'outcome' | 'time'>>;

/** Options for {@link createAuditLog}. */
export interface AuditLogOptions {
  readonly sinks: readonly AuditSink[];
  /**
   * Key for HMAC'ing sensitive fields (>= 32 bytes); `hush audit hash` needs the same key. A function is asked
   * for each batch (the server's key is read from the store once it is unsealed).
   */
  readonly hmacKey: Uint8Array | (() => Uint8Array);
  readonly now?: () => Date;
  /** Most records written (and fsynced) together when requests arrive concurrently (default 256). */
  readonly maxBatch?: number;
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
  /**
   * Call `listener` with each record once it is durably written (alert rules, anomaly detection). A listener that
   * throws is ignored: observers must never fail a request. Returns the unsubscribe function.
   */
  subscribe(listener: (record: AuditRecord) => void): () => void;
  /** Finish pending appends, then close every sink; later appends are refused. */
  close(): Promise<void>;
}

interface Pending {
  readonly input: AuditEventInput;
  resolve(record: AuditRecord): void;
  reject(err: unknown): void;
}

/**
 * Open the audit trail: resume the chain from the sinks' newest record, then serialise appends so concurrent
 * requests never fork the chain. Appends that arrive while a write is in flight are chained in arrival order and
 * written together (group commit: one write and one fsync per sink per batch). Throws HUSH_E_CONFIG with no sinks,
 * HUSH_E_AUDIT_UNAVAILABLE when a required sink cannot be opened, HUSH_E_INTEGRITY when sinks disagree.
 *
 * @example
 * const audit = await createAuditLog({ sinks: [createJsonlFileSink({ dir })], hmacKey });
 * await audit.append({ requestId, operation: 'secret.read', path, outcome: 'allowed', identity, tokenAccessor });
 */
export async function createAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const { sinks } = options;
  const keyOf = options.hmacKey;
  const hmacKey = typeof keyOf === 'function' ? keyOf : () => keyOf;
  const now = options.now ?? (() => new Date());
  const maxBatch = options.maxBatch ?? 256;
  if (sinks.length === 0) {
    throw hushError('NO_AUDIT_SINK_CONFIGURED');
  }
  if (hmacKey().length < 32) {
    throw new RangeError(`audit HMAC key is ${hmacKey().length} bytes; it must be at least 32`);
  }
  let head: ChainHead;
  try {
    head = await resumeHead(sinks);
  } catch (err) {
    // Refusing to start (corrupt tail, diverging sinks) must not leak the sinks' open files.
    await Promise.allSettled(sinks.map((sink) => sink.close()));
    throw err;
  }
  let pending: Pending[] = [];
  let drained: Promise<void> | undefined;
  let closed = false;
  // After a failed write a sink may hold part of a batch; re-read the sinks' heads before chaining again.
  let resync = false;
  const listeners = new Set<(record: AuditRecord) => void>();

  async function drain(): Promise<void> {
    // Group commit: wait out the current event-loop turn so every request answered in it shares one write (and one
    // fsync). Without this the first append of a turn starts a write of one record and the rest queue behind it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (pending.length > 0) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      await writeBatch(batch);
    }
    drained = undefined;
  }

  async function writeBatch(batch: readonly Pending[]): Promise<void> {
    if (resync) {
      try {
        const h = await resumeHead(sinks);
        if (h.seq > head.seq) head = h;
        resync = false;
      } catch (err) {
        for (const p of batch) p.reject(err);
        return;
      }
    }
    let next = head;
    const owners: Pending[] = [];
    const records: AuditRecord[] = [];
    const key = hmacKey();
    for (const p of batch) {
      try {
        const event = redactEvent(key, withDefaults(p.input, now().toISOString()));
        const c = chainRecord(next, event);
        owners.push(p);
        records.push(c.record);
        next = c.head;
      } catch (err) {
        p.reject(err); // a malformed event fails alone and takes no place in the chain
      }
    }
    if (records.length === 0) return;
    const results = await Promise.allSettled(sinks.map((s) => appendAll(s, records)));
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ sink: sinks[i]!, error: r.reason }] : [],
    );
    // Advance once any sink holds the records, so sinks that failed show an honest gap rather than a reused seq.
    if (failed.length < sinks.length) head = next;
    if (failed.length > 0) resync = true;
    if (failed.length === sinks.length || failed.some((f) => f.sink.required)) {
      const first = failed[0]?.error;
      const why = isHushError(first) ? first.message : String(first);
      const err = hushError('REQUEST_REFUSED_BECAUSE_COULD_NOT', {
        length: failed.length,
        length2: sinks.length,
        why,
      });
      for (const p of owners) p.reject(err);
      return;
    }
    for (let i = 0; i < owners.length; i += 1) owners[i]!.resolve(records[i]!);
    for (const listener of listeners) {
      for (const record of records) {
        try {
          listener(record);
        } catch {
          // An observer's bug must not fail the request that was audited.
        }
      }
    }
  }

  return {
    append(input) {
      if (closed) {
        return Promise.reject(hushError('AUDIT_LOG_CLOSED_REQUEST_REFUSED'));
      }
      return new Promise<AuditRecord>((resolve, reject) => {
        pending.push({ input, resolve, reject });
        drained ??= drain();
      });
    },
    head: () => head,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      await drained;
      await Promise.allSettled(sinks.map((s) => s.close()));
    },
  };
}

/** Use the sink's batch write when it has one (one fsync for many records). */
async function appendAll(sink: AuditSink, records: readonly AuditRecord[]): Promise<void> {
  if (sink.appendBatch) return sink.appendBatch(records);
  for (const r of records) await sink.append(r);
}

/** The event with absent identity fields set to null and the log's timestamp (a literal, not a spread: per request). */
function withDefaults(input: AuditEventInput, time: string): AuditEvent {
  const event: { -readonly [K in keyof AuditEvent]: AuditEvent[K] } = {
    time,
    requestId: input.requestId,
    identity: input.identity ?? null,
    tokenAccessor: input.tokenAccessor ?? null,
    authMethod: input.authMethod ?? null,
    sourceAddress: input.sourceAddress ?? null,
    operation: input.operation,
    path: input.path ?? null,
    outcome: input.outcome,
    errorCode: input.errorCode ?? null,
  };
  if (input.details !== undefined) event.details = input.details;
  return event;
}

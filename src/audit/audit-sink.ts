import type { AuditRecord, ChainHead } from '../core/audit/audit-record.js';

/**
 * Where audit records go. The audit log (see audit-log.ts) chains records and hands each one to every sink; a sink
 * resolves `append` only once the record is as durable as the sink can make it.
 */
export interface AuditSink {
  /** A label for error messages, e.g. `file:/var/lib/hush/audit/audit.log` (never a secret). */
  readonly name: string;
  /** When true (the default for built-in sinks), a failure of this sink fails the request (fail closed). */
  readonly required: boolean;
  /** The newest record this sink already holds, so the chain resumes after a restart; undefined when empty. */
  head?(): Promise<ChainHead | undefined>;
  /** Write one record; throws HushError HUSH_E_AUDIT_UNAVAILABLE when it cannot. */
  append(record: AuditRecord): Promise<void>;
  /** Optional: write several consecutive records at once (all or none acknowledged), e.g. with a single fsync. */
  appendBatch?(records: readonly AuditRecord[]): Promise<void>;
  /** Flush and release resources. */
  close(): Promise<void>;
}

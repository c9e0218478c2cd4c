import type { AuditRecord } from '../core/audit/audit-record.js';
import { canonicalRecordLine } from '../core/audit/hash-chain.js';
import type { AuditSink } from './audit-sink.js';
import { sinkUnavailable } from './sink-error.js';

/** The part of a writable stream the stdout sink uses (process.stdout, a file stream, a socket). */
export type LineWriter = Pick<NodeJS.WritableStream, 'write'> & Partial<Pick<NodeJS.WritableStream, 'on'>>;

/** Options for {@link createStdoutSink}. */
export interface StdoutSinkOptions {
  /** Defaults to process.stdout. */
  readonly stream?: LineWriter;
  /** Defaults to true: when this is the only sink, a failed write must fail the request. */
  readonly required?: boolean;
  readonly name?: string;
}

/**
 * An audit sink that writes one JSON line per record to a stream (stdout by default, for containers whose log
 * collector ships stdout). Resolves when the stream has accepted the line; it cannot fsync, so pair it with the
 * file sink when durability matters.
 */
export function createStdoutSink(options: StdoutSinkOptions = {}): AuditSink {
  const stream = options.stream ?? process.stdout;
  const name = options.name ?? 'stdout';
  // Write errors reach us through the write callback; without a listener the stream's 'error' event would crash
  // the process instead of failing the one request.
  stream.on?.('error', () => {});
  function appendBatch(records: readonly AuditRecord[]): Promise<void> {
    const text = records.map((r) => `${canonicalRecordLine(r)}\n`).join('');
    return new Promise<void>((resolve, reject) => {
      try {
        stream.write(text, (err?: Error | null) =>
          err ? reject(sinkUnavailable(name, 'write', err, 'check the process output')) : resolve(),
        );
      } catch (err) {
        reject(sinkUnavailable(name, 'write', err, 'check the process output'));
      }
    });
  }
  return {
    name,
    required: options.required ?? true,
    append: (record) => appendBatch([record]),
    appendBatch,
    async close() {},
  };
}

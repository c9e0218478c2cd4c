import type { ChainHead } from '../core/audit/audit-record.js';
import { GENESIS_HEAD } from '../core/audit/audit-record.js';
import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { AuditSink } from './audit-sink.js';

/** The newest head any sink holds; sinks at the same seq with different hashes mean tampering or a mix-up. */
export async function resumeHead(sinks: readonly AuditSink[]): Promise<ChainHead> {
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
      throw hushError('AUDIT_SINKS_BOTH_END_SEQ', { sink: other.sink, name: sink.name, seq: h.seq });
    }
    seen.set(h.seq, { sink: sink.name, hash: h.hash });
    if (h.seq > best.seq) best = h;
  }
  return best;
}

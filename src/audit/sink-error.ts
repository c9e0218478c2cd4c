import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';

/** The coded error a sink throws when it cannot write; names the sink and the OS error code, never the record. */
export function sinkUnavailable(sink: string, action: string, err: unknown, hint: string): HushError {
  const code = (err as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
  return hushError('AUDIT_SINK_COULD_NOT', { sink, action, why, hint });
}

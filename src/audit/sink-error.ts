import { HushError } from '../core/errors/hush-error.js';

/** The coded error a sink throws when it cannot write; names the sink and the OS error code, never the record. */
export function sinkUnavailable(sink: string, action: string, err: unknown, hint: string): HushError {
  const code = (err as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
  return new HushError(
    'HUSH_E_AUDIT_UNAVAILABLE',
    `audit sink ${sink} could not ${action} (${why}); ${hint}`,
  );
}

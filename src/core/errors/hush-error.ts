import type { ErrorCode } from './error-catalogue.js';

/**
 * A coded, user-facing error. The message is one line that says what was wrong and how to fix it; it must never
 * contain a secret value, token or key material (callers pass paths and sizes, never values).
 *
 * @example
 * throw new HushError('HUSH_E_NOT_FOUND', 'no secret at payments/prod/db; run `hush list payments/prod` to see what exists');
 */
export class HushError extends Error {
  override readonly name = 'HushError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Machine-readable extras safe to show (numbers, paths, versions) — never secret material. */
    readonly details?: Readonly<Record<string, string | number | boolean | null>>,
  ) {
    super(message);
  }

  /**
   * Whose request this was, when the error knows but the caller could not be authenticated (a revoked token's
   * identity and accessor): for the audit trail only, never part of the reply (`toJSON` leaves it out).
   */
  auditSubject?: { readonly identity: string; readonly tokenAccessor: string };

  /** The JSON shape used by the HTTP API and `--json` output. */
  toJSON(): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

/** True when `err` is a HushError (optionally with the given code). */
export function isHushError(err: unknown, code?: ErrorCode): err is HushError {
  return err instanceof HushError && (code === undefined || err.code === code);
}

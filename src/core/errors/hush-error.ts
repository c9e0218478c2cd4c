import type { ErrorCode } from './error-catalogue.js';

/**
 * A coded, user-facing error. The message is one line that says what was wrong and how to fix it; it must never
 * contain a secret value, token or key material (callers pass paths and sizes, never values).
 *
 * Raise catalogued errors with `hushError(id, params)` (catalogued-error.ts), which fills in `messageId` and `hint`;
 * `new HushError(code, message)` with a literal message is for tests and the few messages that arrive whole from
 * elsewhere (see test/error-messages.test.ts, which counts them).
 *
 * @example
 * throw hushError('SECRET_NOT_FOUND', { path }); // no secret at {path}; run `hush list ...` to see what exists
 */
export class HushError extends Error {
  override readonly name = 'HushError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Machine-readable extras safe to show (numbers, paths, versions) — never secret material. */
    readonly details?: Readonly<Record<string, string | number | boolean | null>>,
    /** The catalogue entry the message came from (its id and hint), when it came from one. */
    origin?: { readonly messageId: string; readonly hint?: string | undefined },
  ) {
    super(message);
    this.messageId = origin?.messageId;
    this.hint = origin?.hint;
  }

  /** The stable id of the catalogue message (`TOKEN_NOT_LIVE`), for programs that must not match on wording. */
  readonly messageId: string | undefined;
  /** What to do next, already part of `message`; given alone so a UI can show it apart. */
  readonly hint: string | undefined;

  /**
   * Whose request this was, when the error knows but the caller could not be authenticated (a revoked token's
   * identity and accessor): for the audit trail only, never part of the reply (`toJSON` leaves it out).
   */
  auditSubject?: { readonly identity: string; readonly tokenAccessor: string };

  /** The JSON shape used by the HTTP API and `--json` output. */
  toJSON(): {
    error: {
      code: ErrorCode;
      message: string;
      id?: string;
      hint?: string;
      details?: Record<string, unknown>;
    };
  } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.messageId ? { id: this.messageId } : {}),
        ...(this.hint ? { hint: this.hint } : {}),
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/** True when `err` is a HushError (optionally with the given code). */
export function isHushError(err: unknown, code?: ErrorCode): err is HushError {
  return err instanceof HushError && (code === undefined || err.code === code);
}

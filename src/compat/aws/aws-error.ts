import { httpStatusFor, isHushError } from '../../core/errors/index.js';

/**
 * An error in AWS's words: the `__type` a JSON-protocol service answers with, its message, and the HTTP status.
 * AWS JSON services answer client mistakes with 400 (denials included) and their own faults with 500/503.
 */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AwsError';
  }

  /** The JSON body AWS SDKs parse (`__type` names the modelled exception). */
  toJSON(): { __type: string; message: string } {
    return { __type: this.type, message: this.message };
  }
}

/** Hush codes and the AWS exception that means the same (services answer with their own names where they differ). */
const BY_CODE: Readonly<Record<string, { type: string; status?: number }>> = {
  HUSH_E_NOT_FOUND: { type: 'ResourceNotFoundException' },
  HUSH_E_DESTROYED: { type: 'ResourceNotFoundException' },
  HUSH_E_ALREADY_EXISTS: { type: 'ResourceExistsException' },
  HUSH_E_CAS_CONFLICT: { type: 'InvalidRequestException' },
  HUSH_E_FORBIDDEN: { type: 'AccessDeniedException' },
  HUSH_E_UNAUTHENTICATED: { type: 'UnrecognizedClientException' },
  HUSH_E_TOO_LARGE: { type: 'ValidationException' },
  HUSH_E_USAGE: { type: 'ValidationException' },
  HUSH_E_INVALID_INPUT: { type: 'ValidationException' },
  HUSH_E_INVALID_ADDRESS: { type: 'ValidationException' },
  HUSH_E_RATE_LIMITED: { type: 'ThrottlingException' },
  HUSH_E_SEALED: { type: 'ServiceUnavailableException', status: 503 },
  HUSH_E_NOT_INITIALIZED: { type: 'ServiceUnavailableException', status: 503 },
  HUSH_E_LOCKED_DOWN: { type: 'ServiceUnavailableException', status: 503 },
  HUSH_E_KEY_UNAVAILABLE: { type: 'KMSInvalidStateException' },
  HUSH_E_STORAGE: { type: 'ServiceUnavailableException', status: 503 },
  HUSH_E_AUDIT_UNAVAILABLE: { type: 'ServiceUnavailableException', status: 503 },
};

/**
 * Any thrown value as an AwsError: AwsErrors as they are, coded Hush errors by their code (the message kept: it is
 * written for callers and holds no secret), anything else an InternalFailure with no detail.
 */
export function toAwsError(err: unknown, overrides: Readonly<Record<string, string>> = {}): AwsError {
  if (err instanceof AwsError) return err;
  if (isHushError(err)) {
    const mapped = BY_CODE[err.code];
    const fault = httpStatusFor(err.code) >= 500;
    const type = overrides[err.code] ?? mapped?.type ?? (fault ? 'InternalFailure' : 'ValidationException');
    return new AwsError(type, err.message, mapped?.status ?? (fault ? 500 : 400));
  }
  return new AwsError(
    'InternalFailure',
    'The request processing has failed because of an unknown error.',
    500,
  );
}

/**
 * The one catalogue of Hush error codes. Every coded error maps to exactly one HTTP status and one CLI exit code,
 * here and nowhere else, so the server, the CLI and the docs always agree.
 *
 * Exit code 1 is reserved for "findings" (hush scan) so that scripts can tell "found something" from "failed".
 */
export const ERROR_CATALOGUE = {
  HUSH_E_USAGE: { status: 400, exit: 2, summary: 'the command or request was malformed' },
  HUSH_E_INVALID_INPUT: { status: 400, exit: 2, summary: 'a value failed validation' },
  HUSH_E_INVALID_ADDRESS: { status: 400, exit: 2, summary: 'a secret address is not valid' },
  HUSH_E_TOO_LARGE: { status: 413, exit: 2, summary: 'a value or body is over the size limit' },
  HUSH_E_UNSUPPORTED_MEDIA: { status: 415, exit: 2, summary: 'the request body has the wrong content type' },
  HUSH_E_NOT_FOUND: { status: 404, exit: 3, summary: 'the secret, version or object does not exist' },
  HUSH_E_DELETED: { status: 404, exit: 3, summary: 'the version is soft-deleted (undelete it to read it)' },
  HUSH_E_DESTROYED: { status: 410, exit: 3, summary: 'the version was destroyed and cannot be recovered' },
  HUSH_E_CAS_CONFLICT: { status: 409, exit: 4, summary: 'check-and-set failed: someone else wrote first' },
  HUSH_E_ALREADY_EXISTS: { status: 409, exit: 4, summary: 'the object already exists' },
  HUSH_E_SEALED: { status: 503, exit: 5, summary: 'the store is sealed' },
  HUSH_E_NOT_INITIALIZED: { status: 503, exit: 5, summary: 'the store has not been initialised' },
  HUSH_E_ALREADY_INITIALIZED: { status: 409, exit: 5, summary: 'the store is already initialised' },
  HUSH_E_KEY_UNAVAILABLE: {
    status: 503,
    exit: 5,
    summary: 'the key protecting a project/environment keyring is revoked or unavailable',
  },
  HUSH_E_LOCKED_DOWN: {
    status: 403,
    exit: 5,
    summary: 'an operator sealed or locked down the store; only `hush incident unlock` lifts it',
  },
  HUSH_E_UNSEAL_FAILED: { status: 400, exit: 6, summary: 'the unseal material was wrong or incomplete' },
  HUSH_E_UNAUTHENTICATED: { status: 401, exit: 6, summary: 'no valid token was presented' },
  HUSH_E_FORBIDDEN: { status: 403, exit: 6, summary: 'the caller lacks the capability for this path' },
  HUSH_E_APPROVAL_REQUIRED: {
    status: 403,
    exit: 6,
    summary: 'a policy rule requires approvals from other identities first (hush approve)',
  },
  HUSH_E_RATE_LIMITED: { status: 429, exit: 6, summary: 'too many attempts; wait and retry' },
  HUSH_E_INTEGRITY: {
    status: 500,
    exit: 7,
    summary: 'stored data failed its integrity check (tampered or corrupt)',
  },
  HUSH_E_STORAGE: { status: 503, exit: 8, summary: 'the storage backend could not be read or written' },
  HUSH_E_AUDIT_UNAVAILABLE: { status: 503, exit: 8, summary: 'no audit sink could record the request' },
  HUSH_E_UPSTREAM: {
    status: 502,
    exit: 8,
    summary:
      'an outside system Hush uses (a managed database, a JWT issuer key URL) failed or was unreachable',
  },
  HUSH_E_CONFIG: { status: 500, exit: 9, summary: 'the configuration is invalid' },
  HUSH_E_ROTATION_FAILED: {
    status: 502,
    exit: 10,
    summary: 'a rotation hook, rotator or check failed; the current version is unchanged',
  },
  HUSH_E_TRANSIT_KEY_TYPE: {
    status: 400,
    exit: 2,
    summary: "the transit key's type does not support this operation (e.g. sign with an AES key)",
  },
  HUSH_E_TRANSIT_INVALID: {
    status: 400,
    exit: 2,
    summary: 'a transit ciphertext or signature is malformed, tampered, or not for this key and context',
  },
  HUSH_E_TRANSIT_VERSION: {
    status: 400,
    exit: 2,
    summary: "the transit key version is below the key's minimum, trimmed, or does not exist yet",
  },
  HUSH_E_UNTRUSTED_SIGNER: {
    status: 400,
    exit: 2,
    summary:
      'a signer certificate is expired, revoked, not for code signing, or does not chain to a trusted root',
  },
  HUSH_E_PKI_ROLE_BOUNDS: {
    status: 400,
    exit: 2,
    summary: "a certificate request is outside its PKI role's bounds (names, TTL or key type)",
  },
  HUSH_E_INTERNAL: { status: 500, exit: 70, summary: 'an unexpected internal error' },
  HUSH_E_HOST_NOT_ALLOWED: {
    status: 421,
    exit: 2,
    summary: 'the Host header names a host this server does not answer for (see allowedHosts)',
  },
} as const satisfies Record<string, { status: number; exit: number; summary: string }>;

/** A Hush error code, e.g. `HUSH_E_NOT_FOUND`. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** HTTP status for a code. */
export function httpStatusFor(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}

/** CLI exit code for a code. */
export function exitCodeFor(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].exit;
}

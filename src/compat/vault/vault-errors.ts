import { type ErrorCode, type HushError, httpStatusFor } from '../../core/errors/index.js';

/** A Vault error reply: the status and `{"errors": [...]}`. */
export interface VaultError {
  readonly status: number;
  readonly body: { readonly errors: readonly string[] };
}

// Vault's own wording where clients or people match on it; Hush's coded message everywhere else.
const PERMISSION_DENIED = 'permission denied';
const CAS_MISMATCH = 'check-and-set parameter did not match the current version';
const SEALED = 'Vault is sealed';

/**
 * A Hush error in Vault's shape. Vault answers a missing or bad token with 403 "permission denied" (not 401), a
 * missing secret with 404 and no message, a failed check-and-set with 400; anything else keeps Hush's status and
 * its coded one-line message (`HUSH_E_...: ...`), which never holds a value or a token.
 *
 * @example
 * vaultErrorOf(hushError('SECRET_NOT_FOUND', ...)); // { status: 404, body: { errors: [] } }
 */
export function vaultErrorOf(err: HushError): VaultError {
  switch (err.code) {
    case 'HUSH_E_UNAUTHENTICATED':
    case 'HUSH_E_FORBIDDEN':
      return { status: 403, body: { errors: [PERMISSION_DENIED] } };
    case 'HUSH_E_NOT_FOUND':
    case 'HUSH_E_DELETED':
    case 'HUSH_E_DESTROYED':
      return { status: 404, body: { errors: [] } };
    case 'HUSH_E_CAS_CONFLICT':
      return { status: 400, body: { errors: [CAS_MISMATCH] } };
    case 'HUSH_E_SEALED':
      return { status: 503, body: { errors: [SEALED] } };
  }
  return { status: httpStatusFor(err.code as ErrorCode), body: { errors: [`${err.code}: ${err.message}`] } };
}

/** Vault's answer to a path no backend serves (404), the path cut to a readable length. */
export function unknownPathError(path: string): VaultError {
  const shown = path.length > 200 ? `${path.slice(0, 200)}...` : path;
  return { status: 404, body: { errors: [`no handler for route "${shown}". route entry not found.`] } };
}

import { isHushError } from '../core/errors/hush-error.js';
import type { RevokedDependents } from './create-identity.js';

/** What revoking a token tree did: the tokens, and what they obtained (leases) revoked, queued, or left. */
export interface TokenRevocation extends RevokedDependents {
  readonly revoked: string[];
  /** Set when the leases could not be revoked: what happened and how to finish. */
  readonly leasesError?: string;
}

/** A revocation whose dependents failed: the error code, for the audit record and the log (never the reply). */
export interface DependentsFailure {
  readonly code: string;
}

/**
 * After revoking a token tree, revoke what its tokens obtained (leases): nothing a revoked token got outlives it.
 * The tokens are gone by now, so a failure here must not turn into an error the caller would retry (a retry finds
 * no token): the result says what was revoked and what could not be, and how to finish; `failure` carries the code.
 *
 * @example
 * const { revocation, failure } = await revokeWithDependents(services.revokeDependents, revoked);
 */
export async function revokeWithDependents(
  revokeDependents: ((accessors: readonly string[]) => Promise<RevokedDependents>) | undefined,
  revoked: string[],
  owners: readonly string[] = revoked,
): Promise<{ revocation: TokenRevocation; failure?: DependentsFailure }> {
  if (!revokeDependents) return { revocation: { revoked, leasesRevoked: [], leasesQueued: [] } };
  try {
    return { revocation: { revoked, ...(await revokeDependents(owners)) } };
  } catch (err) {
    const code = isHushError(err) ? err.code : 'unexpected';
    const why = isHushError(err) ? err.message : 'an unexpected error';
    return {
      revocation: {
        revoked,
        leasesRevoked: [],
        leasesQueued: [],
        leasesError: `the tokens were revoked, but their leases could not be (${why}); revoke them with hush lease revoke --prefix creds/ or hush incident revoke`,
      },
      failure: { code },
    };
  }
}

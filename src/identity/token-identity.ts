import { ACCESSOR_PREFIX } from '../core/token/token-ids.js';
import type { StoredToken } from './token-records.js';

/** The built-in policy that allows everything; only a token holding it may hand out policies it does not hold. */
export const ROOT_POLICY = 'root';
/** The identity of the root token minted at init. */
export const ROOT_IDENTITY = 'root';

/** Display names that can stand in an identity (audit records, alert lines): no spaces or control characters. */
const IDENTITY_SAFE_NAME = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * The identity a new token acts for when none is given: its parent's (a person's or a machine's child token acts for
 * them), except below the root token, which is a bootstrap credential and not anyone: a token minted with it acts
 * for `token:<displayName>`, or, without a usable display name, for `token:<its own accessor>`, so two apps given
 * tokens without names are never merged into one identity (blast radius, `incident revoke --identity`), and the audit
 * trail never shows such a token as root. Its children then act for it.
 */
export function inheritedIdentity(
  parent: StoredToken | undefined,
  displayName: string | undefined,
  accessor: string,
): string {
  // The root token is the parentless holder of the root policy (what init mints), whatever its identity says.
  const isRoot = parent?.parentAccessor === null && parent.policies.includes(ROOT_POLICY);
  if (parent !== undefined && !isRoot) return parent.identity;
  // A display name shaped like an accessor would take another token's identity (`token:<its accessor>`): not used.
  return displayName !== undefined &&
    IDENTITY_SAFE_NAME.test(displayName) &&
    !displayName.toLowerCase().startsWith(ACCESSOR_PREFIX)
    ? `token:${displayName}`
    : `token:${accessor}`;
}

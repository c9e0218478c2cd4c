import { isHushError } from '../core/errors/hush-error.js';
import { policyCapability } from '../identity/server-auth.js';
import type { Caller, ServerAuth } from '../ports/auth-port.js';
import type { ApprovalService } from './approval-service.js';

/**
 * The server's auth port with approvals: a request the policies allow is then held to any `approvals` its granting
 * rule requires, so every route that checks a capability (secret reads, transit sign, deploy gates) enforces the
 * two-person rule without knowing about it. Callers without approval rules keep the synchronous fast path.
 *
 * @example
 * const auth = withApprovals(identity.auth, approvals);
 */
export function withApprovals(
  inner: ServerAuth,
  approvals: Pick<ApprovalService, 'enforce' | 'required'>,
): ServerAuth {
  return {
    authenticate: (token) => inner.authenticate(token),
    authorize(caller, path, capability, digest) {
      const allowed = inner.authorize(caller, path, capability);
      const cap = policyCapability(capability);
      if (allowed instanceof Promise) return allowed.then(() => approvals.enforce(caller, path, cap, digest));
      return approvals.enforce(caller, path, cap, digest);
    },
    async mayUse(caller, path, capability) {
      if (!(await allowedBy(inner, caller, path, capability))) return false;
      return (await approvals.required(caller, path, policyCapability(capability))) === 0;
    },
  };
}

/** True when `auth` allows the use, false on HUSH_E_FORBIDDEN (any other failure propagates). */
async function allowedBy(
  auth: Pick<ServerAuth, 'authorize'>,
  caller: Caller,
  path: string,
  capability: string,
): Promise<boolean> {
  try {
    await auth.authorize(caller, path, capability);
    return true;
  } catch (err) {
    if (isHushError(err, 'HUSH_E_FORBIDDEN')) return false;
    throw err;
  }
}

/** `canApprove` over a plain (ungated) auth port: true when `caller` holds `approve` on `path`. */
export function approverCheck(auth: Pick<ServerAuth, 'authorize'>) {
  return (caller: Caller, path: string): Promise<boolean> => allowedBy(auth, caller, path, 'approve');
}

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
export function withApprovals(inner: ServerAuth, approvals: Pick<ApprovalService, 'enforce'>): ServerAuth {
  return {
    authenticate: (token) => inner.authenticate(token),
    authorize(caller, path, capability) {
      const allowed = inner.authorize(caller, path, capability);
      const cap = policyCapability(capability);
      if (allowed instanceof Promise) return allowed.then(() => approvals.enforce(caller, path, cap));
      return approvals.enforce(caller, path, cap);
    },
  };
}

/** `canApprove` over a plain (ungated) auth port: true when `caller` holds `approve` on `path`. */
export function approverCheck(auth: Pick<ServerAuth, 'authorize'>) {
  return async (caller: Caller, path: string): Promise<boolean> => {
    try {
      await auth.authorize(caller, path, 'approve');
      return true;
    } catch (err) {
      if (isHushError(err, 'HUSH_E_FORBIDDEN')) return false;
      throw err;
    }
  };
}

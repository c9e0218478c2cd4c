import { callerToken, type TokenCaller } from '../../identity/index.js';
import type { Caller, ServerAuth } from '../server-deps.js';

/**
 * The identity module's callers are keyed by accessor; the audit trail and secret metadata want *who* asked
 * (`identity`: `root`, `user:amy`, `approle:ci`) and the accessor separately (`tokenAccessor`). Re-shape each caller
 * so `id` is the token's identity and `accessor`/`authMethod` are set; the stored token stays attached, so the
 * identity routes and `authorize` still find it.
 */
export function auditedAuth(auth: ServerAuth): ServerAuth {
  return {
    authenticate(presented) {
      const caller = auth.authenticate(presented);
      return caller instanceof Promise ? caller.then(audited) : audited(caller);
    },
    authorize: (caller, path, capability) => auth.authorize(caller, path, capability),
  };

  function audited(caller: Caller): Caller {
    const token = callerToken(caller);
    if (!token) return caller;
    // A token caller is exactly { id, token } (createServerAuth); rebuilt as one literal, not a spread, per request.
    const reshaped: TokenCaller & { accessor: string; authMethod: string } = {
      id: token.identity,
      token,
      accessor: token.accessor,
      authMethod: 'token',
    };
    return reshaped;
  }
}

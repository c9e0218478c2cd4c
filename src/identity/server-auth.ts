import { hushError } from '../core/errors/index.js';
import { REQUESTABLE_CAPABILITIES, type RequestedCapability } from '../core/policy/capabilities.js';
import type { CompiledPolicy } from '../core/policy/compile-policy.js';
import { allows, evaluate } from '../core/policy/evaluate.js';
import type { Caller, ServerAuth } from '../ports/auth-port.js';
import type { PolicyService } from './policy-service.js';
import type { StoredToken } from './token-records.js';
import type { TokenService } from './token-service.js';

/**
 * The caller the identity module attaches to requests, built once at authentication: `id` is the token's identity
 * (who asked, for the audit trail and secret metadata), `accessor` names the token, and the stored token rides along
 * for authorisation and the identity routes.
 */
export interface TokenCaller extends Caller {
  readonly accessor: string;
  readonly authMethod: 'token';
  readonly token: StoredToken;
}

const REQUESTABLE = new Set<string>(REQUESTABLE_CAPABILITIES);

/** Map a framework capability to a policy capability: the framework asks `sudo` for sys routes, policies say `admin`. */
export function policyCapability(capability: string): RequestedCapability {
  const cap = capability === 'sudo' ? 'admin' : capability;
  if (!REQUESTABLE.has(cap)) {
    throw new RangeError(`unknown capability "${capability}" asked by a route`);
  }
  return cap as RequestedCapability;
}

/** The stored token behind a caller made by {@link createServerAuth}, or undefined for a foreign caller. */
export function callerToken(caller: Caller | undefined): StoredToken | undefined {
  return caller && 'token' in caller ? (caller as TokenCaller).token : undefined;
}

/**
 * `ServerAuth` over the token and policy services: authenticate counts one use of the token; authorize evaluates
 * the token's policies (deny wins, default deny) at the current time.
 *
 * @example
 * const auth = createServerAuth({ tokens, policies, clock: () => new Date() });
 */
export function createServerAuth(deps: {
  readonly tokens: Pick<TokenService, 'authenticate' | 'peekAuthenticate' | 'findByAccessor'>;
  readonly policies: Pick<PolicyService, 'compile' | 'peekCompile'>;
  readonly clock: () => Date;
}): ServerAuth {
  return {
    // Both answer synchronously when everything they need is cached (the common case), else with a promise.
    authenticate(presented) {
      const cached = deps.tokens.peekAuthenticate(presented);
      if (cached) return callerOf(cached);
      return deps.tokens.authenticate(presented).then(callerOf);
    },
    authorize(caller, path, capability) {
      const cap = policyCapability(capability);
      const token = callerToken(caller);
      const policies = token && deps.policies.peekCompile(token.policies);
      if (token && policies) return decide(token, policies, path, cap, capability);
      return (async () => {
        const live = token ?? (await deps.tokens.findByAccessor(caller.accessor ?? caller.id));
        if (!live) {
          throw hushError('TOKEN_NO_LONGER_VALID', { id: caller.accessor ?? caller.id });
        }
        decide(live, await deps.policies.compile(live.policies), path, cap, capability);
      })();
    },
  };

  /** Return when the policies allow `cap` on `path` now; throw HUSH_E_FORBIDDEN with the reason otherwise. */
  function decide(
    token: StoredToken,
    policies: readonly CompiledPolicy[],
    path: string,
    cap: RequestedCapability,
    capability: string,
  ): void {
    const now = deps.clock();
    if (allows(policies, path, cap, now)) return;
    const decision = evaluate(policies, path, cap, now);
    const why =
      decision.basis === 'deny-rule'
        ? decision.reason.replace(/^denied: /, '')
        : decision.reason.includes(';')
          ? `no rule grants it; ${decision.reason.split('; ').slice(1).join('; ')}`
          : 'no rule grants it';
    throw hushError(
      'TOKEN_ACCESSOR_LACKS_CAPABILITY_PATH',
      { accessor: token.accessor, capability, path, why },
      {
        path,
        capability,
      },
    );
  }
}

function callerOf(token: StoredToken): TokenCaller {
  return { id: token.identity, accessor: token.accessor, authMethod: 'token', token };
}

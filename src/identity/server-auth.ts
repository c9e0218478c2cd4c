import { HushError } from '../core/errors/hush-error.js';
import { REQUESTABLE_CAPABILITIES, type RequestedCapability } from '../core/policy/capabilities.js';
import { allows, evaluate } from '../core/policy/evaluate.js';
import type { Caller, ServerAuth } from '../server/server-deps.js';
import type { PolicyService } from './policy-service.js';
import type { StoredToken } from './token-records.js';
import type { TokenService } from './token-service.js';

/** The caller the identity module attaches to requests: the token's accessor, identity and policies. */
export interface TokenCaller extends Caller {
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
  readonly tokens: Pick<TokenService, 'authenticate' | 'findByAccessor'>;
  readonly policies: Pick<PolicyService, 'compile' | 'peekCompile'>;
  readonly clock: () => Date;
}): ServerAuth {
  return {
    async authenticate(presented) {
      const token = await deps.tokens.authenticate(presented);
      const caller: TokenCaller = { id: token.accessor, token };
      return caller;
    },
    async authorize(caller, path, capability) {
      const cap = policyCapability(capability);
      const token = callerToken(caller) ?? (await deps.tokens.findByAccessor(caller.id));
      if (!token) {
        throw new HushError('HUSH_E_UNAUTHENTICATED', `token ${caller.id} is no longer valid; log in again`);
      }
      const policies =
        deps.policies.peekCompile(token.policies) ?? (await deps.policies.compile(token.policies));
      const now = deps.clock();
      if (allows(policies, path, cap, now)) return;
      const decision = evaluate(policies, path, cap, now);
      const why =
        decision.basis === 'deny-rule'
          ? decision.reason.replace(/^denied: /, '')
          : decision.reason.includes(';')
            ? `no rule grants it; ${decision.reason.split('; ').slice(1).join('; ')}`
            : 'no rule grants it';
      throw new HushError(
        'HUSH_E_FORBIDDEN',
        `token ${token.accessor} lacks ${capability} on ${path} (${why})`,
        {
          path,
          capability,
        },
      );
    },
  };
}

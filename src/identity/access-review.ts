import type { Explanation, RuleRef } from '../core/policy/evaluate.js';
import { explain } from '../core/policy/evaluate.js';
import { type IdentityPolicies, whoCan } from '../core/policy/who-can.js';
import type { AppRoleService } from './approle-service.js';
import type { JwtService } from './jwt-service.js';
import type { PolicyService } from './policy-service.js';
import { policyCapability } from './server-auth.js';
import type { StoredToken } from './token-records.js';
import type { TokenService } from './token-service.js';

/** One holder of a capability, for access reviews. */
export interface AccessHolder {
  /** `token` (a live token, named by accessor), `approle` or `jwt` (a role whose logins get the capability). */
  readonly kind: 'token' | 'approle' | 'jwt';
  /** Accessor or role name. */
  readonly name: string;
  /** Who it acts for (token identity), or the role's identity prefix. */
  readonly identity: string;
  readonly policies: readonly string[];
  readonly reason: string;
  readonly rule?: RuleRef;
}

/** A policy explanation for one token. */
export interface TokenExplanation extends Explanation {
  readonly accessor: string;
  readonly policies: readonly string[];
}

/** `hush policy explain` and `hush access who-can` over the live tokens and configured roles. */
export function createAccessReview(deps: {
  readonly tokens: Pick<TokenService, 'list'>;
  readonly policies: Pick<PolicyService, 'compile'>;
  readonly approle: Pick<AppRoleService, 'listRoles'>;
  readonly jwt: Pick<JwtService, 'listRoles'>;
  readonly clock: () => Date;
}) {
  return {
    /** Every rule of the token's policies, assessed for `capability` on `path`, and the decision. */
    async explain(token: StoredToken, path: string, capability: string): Promise<TokenExplanation> {
      const compiled = await deps.policies.compile(token.policies);
      const e = explain(compiled, path, policyCapability(capability), deps.clock());
      return { ...e, accessor: token.accessor, policies: token.policies };
    },

    /** Who holds `capability` on `path` now: live tokens, and roles whose logins would. */
    async whoCan(path: string, capability: string): Promise<AccessHolder[]> {
      const cap = policyCapability(capability);
      const holders = new Map<string, Omit<AccessHolder, 'reason' | 'rule'>>();
      const identities: IdentityPolicies[] = [];
      const add = async (h: Omit<AccessHolder, 'reason' | 'rule'>) => {
        const key = `${h.kind}:${h.name}`;
        holders.set(key, h);
        identities.push({ identity: key, policies: await deps.policies.compile(h.policies) });
      };
      for (const t of await deps.tokens.list()) {
        await add({ kind: 'token', name: t.accessor, identity: t.identity, policies: t.policies });
      }
      for (const r of await deps.approle.listRoles()) {
        await add({ kind: 'approle', name: r.name, identity: `approle:${r.name}`, policies: r.policies });
      }
      for (const r of await deps.jwt.listRoles()) {
        await add({ kind: 'jwt', name: r.name, identity: `jwt:${r.name}:*`, policies: r.policies });
      }
      return whoCan(identities, path, cap, deps.clock()).map((e) => {
        const h = holders.get(e.identity);
        if (!h) throw new Error('who-can returned an identity it was not given');
        return {
          ...h,
          reason: e.decision.reason,
          ...(e.decision.matchedRule ? { rule: e.decision.matchedRule } : {}),
        };
      });
    },
  };
}

/** The access review API. */
export type AccessReview = ReturnType<typeof createAccessReview>;

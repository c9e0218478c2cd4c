import type {
  CreatedToken,
  CreateTokenOptions,
  ExplainRequest,
  PolicyDocument,
  PolicyWrite,
  RenewOptions,
  RevokedTokens,
  TokenExplanation,
  TokenView,
  WhoCanResult,
} from './api-types.js';
import type { Transport } from './http-transport.js';
import { policyName } from './path-params.js';
import type { PolicySimulationReport, SimulatePolicyRequest } from './policy-simulation-types.js';

/** `tokens`: create child tokens, look up, renew and revoke tokens (self, or another by accessor). */
export function tokensApi(call: Transport) {
  return {
    /** Create a child of the calling token; the token text is in the reply only this once. */
    create: async (opts: CreateTokenOptions = {}) =>
      call<CreatedToken>({ method: 'POST', path: '/v1/auth/token/create', body: opts }),
    /** Describe the calling token (never its text). */
    lookupSelf: async () =>
      // Fresh: the lookup itself uses the token (usesRemaining), so a cached view would be stale at once.
      call<TokenView>({ method: 'GET', path: '/v1/auth/token/lookup-self', fresh: true }),
    /** Describe another token (needs `read` on auth/token/lookup). */
    lookup: async (accessor: string) =>
      call<TokenView>({ method: 'POST', path: '/v1/auth/token/lookup', body: { accessor } }),
    /** Extend the calling token, up to its max TTL. */
    renewSelf: async (opts: RenewOptions = {}) =>
      call<TokenView>({ method: 'POST', path: '/v1/auth/token/renew-self', body: opts }),
    /** Extend another token (needs `update` on auth/token/renew). */
    renew: async (accessor: string, opts: RenewOptions = {}) =>
      call<TokenView>({ method: 'POST', path: '/v1/auth/token/renew', body: { accessor, ...opts } }),
    /** Revoke the calling token, its children and the leases they obtained. */
    revokeSelf: async () => call<RevokedTokens>({ method: 'POST', path: '/v1/auth/token/revoke-self' }),
    /** Revoke a token by accessor, its children and their leases (needs `update` on auth/token/revoke-accessor). */
    revoke: async (accessor: string) =>
      call<RevokedTokens>({ method: 'POST', path: '/v1/auth/token/revoke-accessor', body: { accessor } }),
  };
}

/** `policies`: write, read, list, delete and explain access policies. */
export function policiesApi(call: Transport) {
  return {
    /** Create or replace policy `name` (rules as in docs/policies.md); returns the stored document. */
    write: async (name: string, doc: PolicyWrite) =>
      call<PolicyDocument>({ method: 'PUT', path: `/v1/sys/policies/${policyName(name)}`, body: doc }),
    read: async (name: string) =>
      call<PolicyDocument>({ method: 'GET', path: `/v1/sys/policies/${policyName(name)}` }),
    list: async () => call<{ policies: string[] }>({ method: 'GET', path: '/v1/sys/policies' }),
    /** Delete a policy (tokens naming it lose what it granted). */
    delete: async (name: string) => {
      await call<undefined>({ method: 'DELETE', path: `/v1/sys/policies/${policyName(name)}` });
    },
    /** Why a token (default: the calling one) is allowed or denied `capability` on `path`, rule by rule. */
    explain: async (request: ExplainRequest) =>
      call<TokenExplanation>({ method: 'POST', path: '/v1/sys/policies/explain', body: request }),
    /** What the calling token may do now on each path (POST /v1/sys/capabilities-self): `{ path: [capability] }`. */
    capabilitiesSelf: async (paths: readonly string[]) =>
      (
        await call<{ capabilities: Record<string, string[]> }>({
          method: 'POST',
          path: '/v1/sys/capabilities-self',
          body: { paths: [...paths] },
        })
      ).capabilities,
    /**
     * Replay the audit trail of a period against a draft of policy `name`: the past requests that would flip.
     *
     * @example
     * const { flips } = await hush.policies.simulate({ name: 'app', policy: draftYaml, since: '7d' });
     */
    simulate: async (request: SimulatePolicyRequest) =>
      call<PolicySimulationReport>({ method: 'POST', path: '/v1/sys/policies/simulate', body: request }),
  };
}

/** `access`: access review. */
export function accessApi(call: Transport) {
  return {
    /** Live tokens and login roles allowed `capability` on `path` now, with the granting rule. */
    whoCan: async (request: { capability: string; path: string }) =>
      call<WhoCanResult>({
        method: 'POST',
        path: '/v1/sys/access/who-can',
        body: { path: request.path, capability: request.capability },
      }),
  };
}

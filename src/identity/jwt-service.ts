import type { JSONWebKeySet } from 'jose';
import { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { SealedView } from '../store/sealed-view/index.js';
import { boundClaimsProblem } from './claim-match.js';
import { createRemoteKeys, type RemoteKeys } from './jwt-remote-keys.js';
import { checkKeyMaterial, verifyJwt } from './jwt-verify.js';
import type { LoginGuard } from './login-guard.js';
import { assertRoleName } from './names.js';
import type { CreatedToken, TokenService } from './token-service.js';

/**
 * A JWT role: which JWTs it accepts and what token a login gets. Durations in ms; 0 = service default. Exactly one of
 * jwks / publicKeys / jwksUrl / oidcDiscoveryUrl gives the keys.
 */
export interface JwtRoleConfig {
  readonly jwks?: JSONWebKeySet;
  readonly publicKeys?: readonly string[];
  readonly jwksUrl?: string;
  readonly oidcDiscoveryUrl?: string;
  readonly boundIssuer: string;
  readonly boundAudiences: readonly string[];
  /** Claim name -> allowed value(s); `*` globs allowed. */
  readonly boundClaims: Readonly<Record<string, string | readonly string[]>>;
  /** The claim naming the caller (default `sub`); it becomes part of the token's identity. */
  readonly userClaim: string;
  readonly policies: readonly string[];
  readonly tokenTtlMs: number;
  readonly tokenMaxTtlMs: number;
  /** Leeway for exp/nbf (default 60 s). */
  readonly clockSkewSeconds: number;
}

/** A stored JWT role. */
export interface JwtRole extends JwtRoleConfig {
  readonly name: string;
}

const ROLE_PREFIX = 'auth/jwt/role/';

/** JWT/OIDC login for CI systems and Kubernetes service accounts: a signed JWT is exchanged for a token. */
export function createJwtService(deps: {
  readonly records: SealedView;
  readonly tokens: Pick<TokenService, 'create'>;
  readonly guard: LoginGuard;
  readonly clock: () => Date;
  /** Fetches keys of URL-configured roles (default: 5 s timeout, 10 min cache); one per service, shared by roles. */
  readonly remoteKeys?: RemoteKeys;
}) {
  const { records } = deps;
  const remoteKeys = deps.remoteKeys ?? createRemoteKeys();

  async function role(name: string): Promise<JwtRole> {
    const found = await records.get<JwtRole>(ROLE_PREFIX + assertRoleName(name, 'JWT'));
    if (!found) {
      throw hushError('NO_JWT_ROLE_NAMED', { name });
    }
    return found.value;
  }

  return {
    /** Create or replace a JWT role; key material is validated now, not at the first login. */
    async writeRole(name: string, config: JwtRoleConfig): Promise<JwtRole> {
      assertRoleName(name, 'JWT');
      await checkKeyMaterial(config);
      remoteKeys.checkRoleUrls(config);
      if (config.boundAudiences.length === 0) {
        throw hushError('BOUND_AUDIENCES_MUST_LIST_LEAST');
      }
      const next: JwtRole = { ...config, name };
      await records.batch([{ op: 'put', key: ROLE_PREFIX + name, value: next }]);
      return next;
    },

    /** A role's configuration. */
    readRole: role,

    /** Every role (for access review). */
    async listRoles(): Promise<JwtRole[]> {
      const out: JwtRole[] = [];
      for (const key of await records.keys(ROLE_PREFIX)) {
        const found = await records.get<JwtRole>(key);
        if (found) out.push(found.value);
      }
      return out;
    },

    /** Delete a role: later logins with it fail. Tokens already issued keep working until they expire. */
    async deleteRole(name: string): Promise<void> {
      const found = await role(name);
      await records.batch([{ op: 'delete', key: ROLE_PREFIX + found.name }]);
    },

    /** Verify `jwt` against role `name` and return a token with the role's policies (rate-limited per role and address). */
    async login(name: string, jwt: string, sourceIp: string): Promise<CreatedToken> {
      assertRoleName(name, 'JWT');
      return deps.guard.attempt(`jwt:${name}`, sourceIp, async () => {
        const r = await role(name).catch((err: unknown) => {
          // An unknown role is a failed login (counted), not a way to probe role names cheaply.
          throw err instanceof HushError && err.code === 'HUSH_E_NOT_FOUND'
            ? hushError('JWT_LOGIN_FAILED_NO_JWT', { name })
            : err;
        });
        const claims = await verifyJwt(jwt, r, deps.clock(), remoteKeys);
        const problem = boundClaimsProblem(r.boundClaims, claims);
        if (problem) throw hushError('JWT_LOGIN_FAILED', { reason: problem });
        const user = claims[r.userClaim];
        if (typeof user !== 'string' || user === '') {
          throw hushError('JWT_USER_CLAIM_MISSING', { userClaim: r.userClaim });
        }
        return deps.tokens.create({
          policies: r.policies,
          ...(r.tokenTtlMs > 0 ? { ttlMs: r.tokenTtlMs } : {}),
          ...(r.tokenMaxTtlMs > 0 ? { maxTtlMs: r.tokenMaxTtlMs } : {}),
          identity: `jwt:${r.name}:${user.slice(0, 256)}`,
          displayName: `jwt-${r.name}`,
          metadata: { role: r.name, user: user.slice(0, 256) },
        });
      });
    },
  };
}

/** The JWT auth service API. */
export type JwtService = ReturnType<typeof createJwtService>;

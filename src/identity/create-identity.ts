import type { OutboundGuard } from '../net/outbound-allow-list.js';
import type { ServerAudit } from '../ports/audit-port.js';
import type { ServerAuth } from '../ports/auth-port.js';
import type { StorageBackend } from '../storage/backend.js';
import { IDENTITY_SUBKEYS, openSealedView, type ViewBarrier } from '../store/sealed-view/index.js';
import { createAccessReview } from './access-review.js';
import { createAppRoleService } from './approle-service.js';
import { createRemoteKeys, type RemoteKeyOptions } from './jwt-remote-keys.js';
import { createJwtService } from './jwt-service.js';
import { createLoginGuard, type LoginGuardOptions } from './login-guard.js';
import { createPolicyService } from './policy-service.js';
import { createServerAuth } from './server-auth.js';
import { createTokenService, type TokenServiceOptions } from './token-service.js';

/** What the identity module is built from. */
export interface IdentityDeps {
  /** The store's backend (identity rows live beside the secrets, under `auth/` and `sys/policy/`). */
  readonly backend: Pick<StorageBackend, 'get' | 'batch' | 'list'>;
  /**
   * The store's barrier: identity records are encrypted under a keyring it seals with the root key, and their keys and
   * plaintext are wiped when it closes.
   */
  readonly barrier: ViewBarrier;
  readonly clock?: () => Date;
  readonly tokens?: TokenServiceOptions;
  /** Login lockout settings (defaults: 5 failures / 15 min, 30 s lockout doubling to 1 h). */
  readonly loginLimits?: LoginGuardOptions;
  /** Fetching JWT roles' keys from jwksUrl / oidcDiscoveryUrl (defaults: 5 s timeout, 30 s cooldown, 10 min cache, 1 MiB). */
  readonly jwtKeyFetch?: Partial<RemoteKeyOptions>;
  /** On a server: where JWT roles' key URLs may go, and where fetch failures are logged (see createRemoteKeys). */
  readonly outbound?: OutboundGuard;
  /**
   * The same audit slice the server gets: denials decided inside identity routes (per-name capability checks, failed
   * and rate-limited logins) are recorded like the auth guard's own.
   */
  readonly audit?: ServerAudit;
  /**
   * Revoke what the given (just revoked) tokens obtained, i.e. their dynamic-credential leases. Token revocation
   * calls it with every accessor of the revoked tree; absent, revoking a token revokes only tokens.
   */
  readonly revokeDependents?: (accessors: readonly string[]) => Promise<RevokedDependents>;
}

/** What revoking tokens also revoked: leases revoked in their database, and those queued for a retry. */
export interface RevokedDependents {
  readonly leasesRevoked: string[];
  readonly leasesQueued: string[];
}

/** Every identity service (for the HTTP routes in server/routes/auth, the CLI in local mode, and tests). */
export interface IdentityServices {
  readonly tokens: ReturnType<typeof createTokenService>;
  readonly policies: ReturnType<typeof createPolicyService>;
  readonly approle: ReturnType<typeof createAppRoleService>;
  readonly jwt: ReturnType<typeof createJwtService>;
  readonly access: ReturnType<typeof createAccessReview>;
  readonly auth: ServerAuth;
  readonly clock: () => Date;
  readonly audit?: ServerAudit;
  readonly revokeDependents?: IdentityDeps['revokeDependents'];
  /** On a server: where caller-triggered fetches may go (JWT keys, the console's OIDC discovery and code exchange). */
  readonly outbound?: OutboundGuard;
}

/** The composed identity module. */
export interface Identity {
  /** Token authentication and policy authorisation for `ServerDeps.auth`. */
  readonly auth: ServerAuth;
  /** Call once right after the store's first `init()` (while unsealed): mints the root token, returned once. */
  onInit(): Promise<{ rootToken: string }>;
  readonly services: IdentityServices;
}

/**
 * Compose tokens, policies, AppRole, JWT login, access review and `ServerAuth` (the HTTP routes serving them are
 * the server's: `services.identity` of its route table).
 *
 * @example
 * const identity = createIdentity({ backend, barrier });
 * const app = buildApp({ version, store, auth: identity.auth, services: { identity: identity.services } }, config);
 * const { rootToken } = await identity.onInit(); // after store.init()
 */
export function createIdentity(deps: IdentityDeps): Identity {
  const clock = deps.clock ?? (() => new Date());
  const records = openSealedView(deps.backend, deps.barrier, {
    ...IDENTITY_SUBKEYS,
    name: 'identity',
    prefixes: ['auth/', 'sys/policy/'],
  });
  const guard = createLoginGuard(clock, deps.loginLimits);
  const tokens = createTokenService(records, clock, deps.tokens);
  const policies = createPolicyService(records);
  const approle = createAppRoleService({ records, tokens, guard, clock });
  const remoteKeys = createRemoteKeys({
    ...deps.jwtKeyFetch,
    ...(deps.outbound ? { outbound: deps.outbound } : {}),
  });
  const jwt = createJwtService({ records, tokens, guard, clock, remoteKeys });
  const access = createAccessReview({ tokens, policies, approle, jwt, clock });
  const auth = createServerAuth({ tokens, policies, clock });
  const services: IdentityServices = {
    tokens,
    policies,
    approle,
    jwt,
    access,
    auth,
    clock,
    ...(deps.audit ? { audit: deps.audit } : {}),
    ...(deps.revokeDependents ? { revokeDependents: deps.revokeDependents } : {}),
    ...(deps.outbound ? { outbound: deps.outbound } : {}),
  };
  return {
    auth,
    async onInit() {
      const { token } = await tokens.createRootToken();
      return { rootToken: token };
    },
    services,
  };
}

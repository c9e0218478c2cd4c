/** Identity: tokens, policies, AppRole and JWT logins, access review, and the `ServerAuth` the server calls. */
export type { AccessHolder, TokenExplanation } from './access-review.js';
export type { AppRole, AppRoleConfig, IssuedSecretId, SecretIdView } from './approle-service.js';
export {
  createIdentity,
  type Identity,
  type IdentityDeps,
  type IdentityServices,
  type RevokedDependents,
} from './create-identity.js';
export type { JwtRole, JwtRoleConfig } from './jwt-service.js';
export { keySourceOf } from './jwt-verify.js';
export { ROOT_POLICY_DOCUMENT } from './policy-service.js';
export { callerToken, createServerAuth, policyCapability, type TokenCaller } from './server-auth.js';
export type { StoredToken, TokenView } from './token-records.js';
export { type CreatedToken, type CreateTokenRequest, ROOT_POLICY, type TokenRef } from './token-service.js';

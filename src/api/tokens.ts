/** The token operations (`/v1/auth/token/...`), and the token shapes the login routes reply with. */
import { z } from 'zod';
import { TOKEN_TYPES } from '../core/token/token-format.js';
import { defineRoute } from './contract.js';

/** The most uses a token can be created with (native `numUses`, Vault `num_uses`). */
export const MAX_TOKEN_USES = 1_000_000;

/** A duration such as `90s`, `30m`, `1h`, `7d` (identity/duration.ts parses it). */
export const duration = z.string().regex(/^[0-9]{1,9}(s|m|h|d)$/);
/** A policy or role name. */
export const policyName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/);
/** A token's policy names (native and Vault-compatible token creation). */
export const policyNames = z.array(policyName).max(64);
/** A token's metadata (native and Vault-compatible token creation). */
// zod has no size check on records: the bound is stated for the JSON Schema that validates requests.
export const tokenMetadata = z.record(z.string(), z.string().max(512)).meta({ maxProperties: 32 });
/** A token accessor (the non-secret handle of a token). */
export const accessor = z.string().regex(/^acc_[0-9A-Za-z]{32}$/);

/** A token as shown to callers (never the token text). */
export const tokenView = z.object({
  accessor: z.string(),
  type: z.enum(Object.values(TOKEN_TYPES)),
  identity: z.string(),
  displayName: z.string(),
  policies: z.array(z.string()).readonly(),
  parentAccessor: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  maxExpiresAt: z.string().nullable(),
  /** Seconds left before expiry (null: no expiry). */
  ttlSeconds: z.int().nullable(),
  renewable: z.boolean(),
  usesRemaining: z.int().nullable(),
  metadata: z.record(z.string(), z.string()).readonly(),
});

/** A new token: the token text, shown only in this reply, and its description. */
export const createdToken = z
  .object({ token: z.string(), auth: tokenView })
  .meta({ description: 'a new token; it is shown only in this reply' });

/** What a token creation asks for (the Vault-compatible `auth/token/create` is translated into it). */
export const createTokenBody = z.strictObject({
  policies: policyNames.optional(),
  /** Time to live, e.g. `30m`, `1h`, `7d`. */
  ttl: duration.optional(),
  /** Renewals never go past this lifetime. */
  maxTtl: duration.optional(),
  /** Use limit. */
  numUses: z.int().min(1).max(MAX_TOKEN_USES).optional(),
  renewable: z.boolean().optional(),
  displayName: z.string().min(1).max(128).optional(),
  metadata: tokenMetadata.optional(),
});

/** A token revocation: the token tree's accessors and the leases those tokens had obtained. */
export const revokedTokens = z.object({
  revoked: z.array(z.string()),
  /** Dynamic-credential leases the revoked tokens had obtained, revoked in their database now. */
  leasesRevoked: z.array(z.string()),
  /** Such leases whose database could not be reached: queued, retried until revoked. */
  leasesQueued: z.array(z.string()),
  /** Set when the leases could not even be looked at (storage failed): the tokens are revoked all the same. */
  leasesError: z.string().optional(),
});

const accessorBody = z.strictObject({ accessor });
/** A renewal: how long from now (default: the TTL the token or lease was created with). */
export const renewSelfBody = z.strictObject({ increment: duration.optional() });

const tags = ['auth'] as const;

/** `/v1/auth/token/...`: each operation once. */
export const tokenApi = {
  create: defineRoute({
    method: 'POST',
    path: '/v1/auth/token/create',
    summary: "Create a child token (policies must be a subset of the caller token's)",
    tags,
    body: createTokenBody,
    reply: createdToken,
  }),
  lookupSelf: defineRoute({
    method: 'GET',
    path: '/v1/auth/token/lookup-self',
    summary: 'Describe the calling token',
    tags,
    reply: tokenView,
  }),
  lookup: defineRoute({
    method: 'POST',
    path: '/v1/auth/token/lookup',
    summary: 'Describe a token by accessor',
    tags,
    body: accessorBody,
    reply: tokenView,
  }),
  renewSelf: defineRoute({
    method: 'POST',
    path: '/v1/auth/token/renew-self',
    summary: 'Renew the calling token (capped at its max TTL)',
    tags,
    body: renewSelfBody,
    reply: tokenView,
  }),
  renew: defineRoute({
    method: 'POST',
    path: '/v1/auth/token/renew',
    summary: 'Renew a token by accessor',
    tags,
    body: z.strictObject({ accessor, increment: duration.optional() }),
    reply: tokenView,
  }),
  revokeSelf: defineRoute({
    method: 'POST',
    path: '/v1/auth/token/revoke-self',
    summary: 'Revoke the calling token and its children',
    tags,
    reply: revokedTokens,
  }),
  revokeAccessor: defineRoute({
    method: 'POST',
    path: '/v1/auth/token/revoke-accessor',
    summary: 'Revoke a token (and its children) by accessor',
    tags,
    body: accessorBody,
    reply: revokedTokens,
  }),
} as const;

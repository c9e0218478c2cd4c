import { REQUESTABLE_CAPABILITIES } from '../../../core/policy/capabilities.js';
/** JSON schemas of the identity endpoints (validation, serialisation and /v1/openapi.json). */
import { durationSchema } from '../../../identity/duration.js';

const nullableString = { type: ['string', 'null'] } as const;
const nameSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' } as const;
const policyList = { type: 'array', maxItems: 64, items: nameSchema } as const;
const metadataSchema = {
  type: 'object',
  maxProperties: 32,
  additionalProperties: { type: 'string', maxLength: 512 },
} as const;

/** `:name` route parameter (policy or role name). */
export const nameParams = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: nameSchema },
} as const;

/** A token as shown to callers (never the token text). */
export const tokenViewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['accessor', 'type', 'identity', 'policies', 'createdAt', 'expiresAt', 'renewable'],
  properties: {
    accessor: { type: 'string' },
    type: { type: 'string' },
    identity: { type: 'string' },
    displayName: { type: 'string' },
    policies: { type: 'array', items: { type: 'string' } },
    parentAccessor: nullableString,
    createdAt: { type: 'string' },
    expiresAt: nullableString,
    maxExpiresAt: nullableString,
    ttlSeconds: { type: ['integer', 'null'] },
    renewable: { type: 'boolean' },
    usesRemaining: { type: ['integer', 'null'] },
    metadata: metadataSchema,
  },
} as const;

/** Reply carrying a new token: shown once. */
export const createdTokenSchema = {
  description: 'a new token; it is shown only in this reply',
  type: 'object',
  additionalProperties: false,
  required: ['token', 'auth'],
  properties: { token: { type: 'string' }, auth: tokenViewSchema },
} as const;

/** POST /v1/auth/token/create body. */
export const createTokenBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    policies: policyList,
    ttl: durationSchema,
    maxTtl: durationSchema,
    numUses: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    renewable: { type: 'boolean' },
    displayName: { type: 'string', minLength: 1, maxLength: 128 },
    metadata: metadataSchema,
  },
} as const;

/** A token accessor (non-secret handle). */
export const accessorSchema = { type: 'string', pattern: '^acc_[0-9A-Za-z]{32}$' } as const;

/** Body naming a token by accessor. */
export const accessorBody = {
  type: 'object',
  additionalProperties: false,
  required: ['accessor'],
  properties: { accessor: accessorSchema },
} as const;

/** Renew bodies: optional increment (and the accessor for renew). */
export const renewSelfBody = {
  type: 'object',
  additionalProperties: false,
  properties: { increment: durationSchema },
} as const;

/** POST /v1/auth/token/renew body. */
export const renewBody = {
  type: 'object',
  additionalProperties: false,
  required: ['accessor'],
  properties: { accessor: accessorSchema, increment: durationSchema },
} as const;

/** Reply listing revoked accessors. */
export const revokedSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['revoked', 'leasesRevoked', 'leasesQueued'],
  properties: {
    revoked: { type: 'array', items: { type: 'string' } },
    /** Dynamic-credential leases the revoked tokens had obtained, revoked in their database now. */
    leasesRevoked: { type: 'array', items: { type: 'string' } },
    /** Such leases whose database could not be reached: queued, retried until revoked. */
    leasesQueued: { type: 'array', items: { type: 'string' } },
    /** Set when the leases could not even be looked at (storage failed): the tokens are revoked all the same. */
    leasesError: { type: 'string' },
  },
} as const;

/** POST /v1/auth/approle/role/:name body. */
export const appRoleBody = {
  type: 'object',
  additionalProperties: false,
  required: ['policies'],
  properties: {
    policies: policyList,
    secretIdTtl: durationSchema,
    secretIdNumUses: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    tokenTtl: durationSchema,
    tokenMaxTtl: durationSchema,
    tokenNumUses: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    cidrs: { type: 'array', maxItems: 64, items: { type: 'string', maxLength: 64 } },
  },
} as const;

/** An AppRole as shown (role id only through its own endpoint). */
export const appRoleSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    policies: { type: 'array', items: { type: 'string' } },
    secretIdTtlSeconds: { type: 'integer' },
    secretIdNumUses: { type: 'integer' },
    tokenTtlSeconds: { type: 'integer' },
    tokenMaxTtlSeconds: { type: 'integer' },
    tokenNumUses: { type: 'integer' },
    cidrs: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** Body naming a secret id by accessor. */
export const secretIdAccessorBody = {
  type: 'object',
  additionalProperties: false,
  required: ['accessor'],
  properties: { accessor: { type: 'string', minLength: 1, maxLength: 64, pattern: '^sid_[A-Za-z0-9_-]+$' } },
} as const;

/** A role's secret ids as listed: accessors and limits only. */
export const secretIdListSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    secretIds: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          accessor: { type: 'string' },
          createdAt: { type: 'string' },
          expiresAt: { type: ['string', 'null'] },
          usesRemaining: { type: ['integer', 'null'] },
        },
      },
    },
  },
} as const;

/** POST /v1/auth/approle/login body. */
export const appRoleLoginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['roleId', 'secretId'],
  properties: {
    roleId: { type: 'string', minLength: 1, maxLength: 128 },
    secretId: { type: 'string', minLength: 1, maxLength: 128 },
  },
} as const;

/** POST /v1/auth/jwt/role/:name body. */
export const jwtRoleBody = {
  type: 'object',
  additionalProperties: false,
  required: ['boundIssuer', 'boundAudiences', 'policies'],
  properties: {
    jwks: {
      type: 'object',
      additionalProperties: false,
      required: ['keys'],
      properties: { keys: { type: 'array', minItems: 1, maxItems: 64, items: { type: 'object' } } },
    },
    publicKeys: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'string', maxLength: 16384 } },
    // The service checks the URL rules (https, length) with messages that say how to fix them.
    // A little over MAX_KEY_URL_LENGTH, so the service's clearer message (with the length) is the one users see.
    jwksUrl: { type: 'string', minLength: 1, maxLength: 4096 },
    oidcDiscoveryUrl: { type: 'string', minLength: 1, maxLength: 4096 },
    boundIssuer: { type: 'string', minLength: 1, maxLength: 1024 },
    boundAudiences: { type: 'array', minItems: 1, maxItems: 32, items: { type: 'string', maxLength: 1024 } },
    boundClaims: {
      type: 'object',
      maxProperties: 32,
      additionalProperties: {
        anyOf: [
          { type: 'string', maxLength: 1024 },
          { type: 'array', maxItems: 64, items: { type: 'string', maxLength: 1024 } },
        ],
      },
    },
    userClaim: { type: 'string', minLength: 1, maxLength: 128 },
    policies: policyList,
    tokenTtl: durationSchema,
    tokenMaxTtl: durationSchema,
    clockSkewSeconds: { type: 'integer', minimum: 0, maximum: 300 },
  },
} as const;

/** POST /v1/auth/jwt/login body. */
export const jwtLoginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'jwt'],
  properties: { role: nameSchema, jwt: { type: 'string', minLength: 1, maxLength: 16384 } },
} as const;

// The catalogue's list, so a capability added there (the transit ones) is accepted by explain and who-can too.
const requestableCapability = { type: 'string', enum: [...REQUESTABLE_CAPABILITIES] } as const;

/** A policy document body (the core validator gives the detailed messages). */
export const policyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'capabilities'],
        properties: {
          path: { type: 'string' },
          capabilities: { type: 'array', items: { type: 'string' } },
          notBefore: { type: 'string' },
          expiresAt: { type: 'string' },
          approvals: { type: 'integer' },
        },
      },
    },
  },
} as const;

/** POST /v1/sys/policies/explain body: whose decision (default: the caller's), on what. */
export const explainBody = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'capability'],
  properties: {
    token: { type: 'string', maxLength: 128 },
    accessor: accessorSchema,
    path: { type: 'string', minLength: 1, maxLength: 512 },
    capability: requestableCapability,
  },
} as const;

/** POST /v1/sys/access/who-can body. */
export const whoCanBody = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'capability'],
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 512 },
    capability: requestableCapability,
  },
} as const;

/** A policy rule named in a reply (explain's matched rule, who-can's granting rule). */
export const ruleRef = {
  type: 'object',
  properties: {
    policy: { type: 'string' },
    index: { type: 'integer' },
    path: { type: 'string' },
    capabilities: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** JSON schemas of the identity endpoints (validation, serialisation and /v1/openapi.json). */
import { jsonSchemaOf } from '../../../api/contract.js';
import { accessor, createdToken, policyNames, tokenMetadata } from '../../../api/tokens.js';
import { REQUESTABLE_CAPABILITIES } from '../../../core/policy/capabilities.js';
import { durationSchema } from '../../../identity/duration.js';

/** The token shapes, as JSON Schema for the login and Vault-compatible routes (declared once in api/tokens.ts). */
export { MAX_TOKEN_USES } from '../../../api/tokens.js';

const nameSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' } as const;
/** A token's policy names (native and Vault-compatible token creation). */
export const policyList = jsonSchemaOf(policyNames, 'input');
/** A token's metadata (native and Vault-compatible token creation). */
export const metadataSchema = jsonSchemaOf(tokenMetadata, 'input');

/** `:name` route parameter (policy or role name). */
export const nameParams = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: nameSchema },
} as const;

/** Reply carrying a new token: shown once. */
export const createdTokenSchema = jsonSchemaOf(createdToken, 'output');

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
    accessor: jsonSchemaOf(accessor, 'input'),
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

/** JSON schemas of the dynamic-credential endpoints (validation and /v1/openapi.json). */
import { durationSchema } from '../../../identity/duration.js';

const name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,31}$' } as const;
const sql = { type: 'string', minLength: 1, maxLength: 16384 } as const;

/** `:name` of an engine. */
export const engineParams = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name },
} as const;

/** `:name/:role`. */
export const roleParams = {
  type: 'object',
  required: ['name', 'role'],
  additionalProperties: false,
  properties: { name, role: name },
} as const;

/** Body of PUT /v1/sys/engines/:name. */
export const configureBody = {
  type: 'object',
  required: ['type', 'connectionUrl'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['postgres'] },
    connectionUrl: { type: 'string', minLength: 1, maxLength: 4096 },
    validUntilMargin: durationSchema,
    verify: { type: 'boolean' },
  },
} as const;

/** Body of PUT /v1/sys/engines/:name/roles/:role. */
export const roleBody = {
  type: 'object',
  required: ['creationSql', 'ttl', 'maxTtl'],
  additionalProperties: false,
  properties: {
    creationSql: sql,
    revocationSql: sql,
    renewalSql: sql,
    allowUnlistedStatements: { type: 'boolean' },
    ttl: durationSchema,
    maxTtl: durationSchema,
  },
} as const;

const leaseId = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** Body naming one lease. */
export const leaseIdBody = {
  type: 'object',
  required: ['leaseId'],
  additionalProperties: false,
  properties: { leaseId },
} as const;

/** Body of POST /v1/leases/renew. */
export const renewLeaseBody = {
  type: 'object',
  required: ['leaseId'],
  additionalProperties: false,
  properties: { leaseId, increment: durationSchema },
} as const;

/** Body of POST /v1/leases/revoke-prefix. */
export const prefixBody = {
  type: 'object',
  required: ['prefix'],
  additionalProperties: false,
  properties: { prefix: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

/** Query of GET /v1/leases. */
export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { prefix: { type: 'string', maxLength: 200 } },
} as const;

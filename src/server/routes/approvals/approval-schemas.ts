/** JSON schemas of the approval and deploy gate endpoints (validation and /v1/openapi.json). */
import { REQUESTABLE_CAPABILITIES } from '../../../core/policy/capabilities.js';

const STATUSES = ['pending', 'approved', 'denied', 'used', 'expired'] as const;

/** `:id` of an approval request. */
export const approvalParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^apr_[0-9a-f]{32}$' } },
} as const;

/** `:name` of a deploy gate (its policy path is `gates/<name>`). */
export const gateParams = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' } },
} as const;

/** Body of POST /v1/approvals. */
export const requestBody = {
  type: 'object',
  required: ['path', 'capability'],
  additionalProperties: false,
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 1024 },
    capability: { type: 'string', enum: REQUESTABLE_CAPABILITIES.filter((c) => c !== 'approve') },
    reason: { type: 'string', maxLength: 500 },
    ttlSeconds: { type: 'integer', minimum: 60 },
  },
} as const;

/** Body of POST /v1/approvals/:id/grant and /deny. */
export const voteBody = {
  type: 'object',
  additionalProperties: false,
  properties: { comment: { type: 'string', maxLength: 500 } },
} as const;

/** `?status=` of GET /v1/approvals. */
export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status: { type: 'string', enum: [...STATUSES] } },
} as const;

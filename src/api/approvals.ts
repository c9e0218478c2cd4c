/** The approval operations (`/v1/approvals...`) and deploy gates (`/v1/gates/:name/pass`). */
import { z } from 'zod';
import { REQUEST_DIGEST } from '../core/approvals/index.js';
import { REQUESTABLE_CAPABILITIES } from '../core/policy/capabilities.js';
import { defineRoute } from './contract.js';

const STATUSES = ['pending', 'approved', 'denied', 'used', 'expired'] as const;
const tags = ['approvals'];

/** `:id` of an approval request. */
const approvalParams = z.strictObject({ id: z.string().regex(/^apr_[0-9a-f]{32}$/) });
/** `:name` of a deploy gate (its policy path is `gates/<name>`). */
const gateParams = z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/) });
/** A request digest (`sha256:` + 64 hex), see core/approvals/request-digest.ts. */
const digest = z.string().regex(REQUEST_DIGEST);

const vote = z.object({ approver: z.string(), at: z.string(), comment: z.string().optional() });

/** An approval request as shown to its requester and approvers (with its status now). */
export const approvalView = z.object({
  id: z.string(),
  requester: z.string(),
  path: z.string(),
  capability: z.string(),
  reason: z.string().optional(),
  /** Set when the approval covers only the one request of this digest (a pinned batch). */
  requestDigest: z.string().optional(),
  required: z.int(),
  createdAt: z.string(),
  expiresAt: z.string(),
  grants: z.array(vote).readonly(),
  denial: vote.optional(),
  usedAt: z.string().optional(),
  status: z.enum(STATUSES),
});

const voteBody = z.strictObject({ comment: z.string().max(500).optional() });

/** The approval and deploy gate operations. */
export const approvalApi = {
  request: defineRoute({
    method: 'POST',
    path: '/v1/approvals',
    summary: 'Ask for approval to use a guarded capability (optionally pinned to one request digest)',
    tags,
    body: z.strictObject({
      path: z.string().min(1).max(1024),
      capability: z.enum(REQUESTABLE_CAPABILITIES.filter((c) => c !== 'approve')),
      reason: z.string().max(500).optional(),
      requestDigest: digest.optional(),
      ttlSeconds: z.int().min(60).optional(),
    }),
    reply: approvalView,
    status: 201,
  }),
  list: defineRoute({
    method: 'GET',
    path: '/v1/approvals',
    summary: 'Approval requests you made or may approve',
    tags,
    querystring: z.strictObject({ status: z.enum(STATUSES).optional() }),
    reply: z.object({ requests: z.array(approvalView) }),
  }),
  show: defineRoute({
    method: 'GET',
    path: '/v1/approvals/:id',
    summary: 'One approval request',
    tags,
    params: approvalParams,
    reply: approvalView,
  }),
  grant: defineRoute({
    method: 'POST',
    path: '/v1/approvals/:id/grant',
    summary: 'Approve a request (never your own)',
    tags,
    params: approvalParams,
    body: voteBody,
    reply: approvalView,
  }),
  deny: defineRoute({
    method: 'POST',
    path: '/v1/approvals/:id/deny',
    summary: 'Deny a request (closes it)',
    tags,
    params: approvalParams,
    body: voteBody,
    reply: approvalView,
  }),
  passGate: defineRoute({
    method: 'POST',
    path: '/v1/gates/:name/pass',
    summary: 'Pass a deploy gate (spends one approval; pinned approvals fit only these exact artefacts)',
    tags,
    params: gateParams,
    body: z.strictObject({
      /** The artefacts this deployment ships, in order: a pinned approval covers exactly these. */
      artefacts: z
        .array(
          z.strictObject({ file: z.string().min(1).max(1024), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
        )
        .max(256)
        .optional(),
    }),
    reply: z.object({ gate: z.string(), passed: z.literal(true) }),
  }),
};

import type { FastifyPluginAsync } from 'fastify';
import type { AuditTrailReader } from '../../../audit/audit-trail-reader.js';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../../../core/audit/audit-record.js';
import { parseWhen } from '../../../core/audit/parse-when.js';
import type { AuditQuery } from '../../../core/audit/search-audit.js';
import { hushError } from '../../../core/errors/index.js';
import { routeAuth } from '../../route-config.js';

/** What the trail routes need: the reader of the server's audit files and the clock (for `since=7d`). */
export interface AuditTrailRouteDeps {
  readonly trail: AuditTrailReader;
  readonly clock: () => Date;
}

interface SearchQuery {
  path?: string;
  identity?: string;
  outcome?: AuditOutcome;
  operation?: string;
  since?: string;
  until?: string;
  limit?: string;
}

const text = { type: 'string', minLength: 1, maxLength: 512 } as const;
const nullable = { type: ['string', 'null'] } as const;

/** One audit record as the reply shows it (details are free-form: HMAC'd where sensitive). */
const recordSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    v: { type: 'integer' },
    seq: { type: 'integer' },
    prev: { type: 'string' },
    hash: { type: 'string' },
    time: { type: 'string' },
    requestId: { type: 'string' },
    identity: nullable,
    tokenAccessor: nullable,
    authMethod: nullable,
    sourceAddress: nullable,
    operation: { type: 'string' },
    path: nullable,
    outcome: { type: 'string' },
    errorCode: nullable,
    details: { type: 'object', additionalProperties: true },
    outcomeUnknown: { type: 'boolean' },
  },
} as const;

const head = {
  type: 'object',
  additionalProperties: false,
  properties: { seq: { type: 'integer' }, hash: { type: 'string' }, updatedAt: { type: 'string' } },
} as const;

const verifyReply = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ok: { type: 'boolean' },
    checked: { type: 'integer' },
    head,
    problem: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kind: { type: 'string' },
        seq: { type: ['integer', 'null'] },
        line: { type: 'integer' },
        file: { type: 'string' },
        message: { type: 'string' },
      },
    },
    outcomeUnknownCount: { type: 'integer' },
    storedHead: head,
    storedHeadProblem: { type: 'string' },
  },
} as const;

const tags = ['sys'];
/** Reading the trail back needs `read` on `sys/audit` (the HMAC oracle, sys/audit/hash, needs `sudo`). */
const READ_TRAIL = { requireUnsealed: true, auth: routeAuth.fixed('sys/audit', 'read') } as const;

/**
 * The audit trail, read back (the console's Audit pages): `GET /v1/sys/audit/records` searches it (newest first),
 * `GET /v1/sys/audit/records/:requestId` shows one request's records, `GET /v1/sys/audit/verify` verifies the chain
 * and compares it with the head kept in the store. Records hold no secret values (HMAC'd fields stay HMAC'd).
 */
export function auditTrailRoutes(deps: AuditTrailRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: SearchQuery }>(
      '/v1/sys/audit/records',
      {
        schema: {
          summary: 'Search the audit trail, newest first',
          tags,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              path: text,
              identity: text,
              outcome: { type: 'string', enum: [...AUDIT_OUTCOMES] },
              operation: text,
              since: text,
              until: text,
              // Query strings are not coerced on this server: digits, bounded in the handler.
              limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$', description: '1 to 1000 (default 100)' },
            },
          },
          response: {
            200: {
              type: 'object',
              additionalProperties: false,
              properties: { records: { type: 'array', items: recordSchema }, truncated: { type: 'boolean' } },
            },
          },
        },
        config: { ...READ_TRAIL, operation: 'sys.audit.search' },
      },
      async (request) => {
        const q = request.query;
        const now = deps.clock();
        const query: AuditQuery = {
          ...(q.path ? { path: q.path } : {}),
          ...(q.identity ? { identity: q.identity } : {}),
          ...(q.outcome ? { outcome: q.outcome } : {}),
          ...(q.operation ? { operation: q.operation } : {}),
          ...(q.since ? { since: parseWhen(q.since, 'since', now) } : {}),
          ...(q.until ? { until: parseWhen(q.until, 'until', now) } : {}),
        };
        return deps.trail.search(query, Math.min(Number(q.limit ?? 100), 1000));
      },
    );

    app.get<{ Params: { requestId: string } }>(
      '/v1/sys/audit/records/:requestId',
      {
        schema: {
          summary: "One request's audit records (its requested record and its outcome)",
          tags,
          params: {
            type: 'object',
            required: ['requestId'],
            properties: { requestId: { type: 'string', minLength: 1, maxLength: 128 } },
          },
          response: {
            200: {
              type: 'object',
              additionalProperties: false,
              properties: { records: { type: 'array', items: recordSchema } },
            },
          },
        },
        config: { ...READ_TRAIL, operation: 'sys.audit.record' },
      },
      async (request) => {
        const records = await deps.trail.request(request.params.requestId);
        if (records.length === 0) {
          throw hushError('NO_AUDIT_RECORD_FOR_REQUEST', {
            requestId: request.params.requestId.slice(0, 128),
          });
        }
        return { records };
      },
    );

    app.get(
      '/v1/sys/audit/verify',
      {
        schema: {
          summary: "Verify the audit trail's hash chain and compare it with the head kept in the store",
          tags,
          response: { 200: verifyReply },
        },
        config: { ...READ_TRAIL, operation: 'sys.audit.verify' },
      },
      async () => deps.trail.verify(),
    );
  };
}

import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import type { ApprovalRequestInput, ApprovalService } from '../../../approvals/index.js';
import type { ApprovalStatus } from '../../../core/approvals/index.js';
import { checkerOf, routeAuth } from '../../route-config.js';
import { AUTHED, onAuditedPath } from '../auth-helpers.js';
import { callerOf } from '../secrets/secrets-request.js';
import { approvalParams, gateParams, listQuery, requestBody, voteBody } from './approval-schemas.js';

/** What {@link approvalRoutes} is built from. */
export interface ApprovalRouteDeps {
  readonly approvals: ApprovalService;
}

type Id = { Params: { id: string } };
/** A vote needs `approve` on the request's path, known only once the request is read: checked in the handler. */
const VOTE = { requireUnsealed: true, auth: routeAuth.perItem('approve') } as const;
type Vote = Id & { Body: { comment?: string } };

/**
 * Approvals (`/v1/approvals`) and deploy gates (`/v1/gates/:name/pass`). Requests are open to any token (the service
 * refuses subjects no rule guards); voting needs `approve` on the request's path; passing a gate is `read` on
 * `gates/<name>`, which a policy rule guards with `approvals`.
 */
export function approvalRoutes(deps: ApprovalRouteDeps): FastifyPluginAsync {
  const { approvals } = deps;
  const tags = ['approvals'];
  return async (app) => {
    app.post<{ Body: ApprovalRequestInput }>(
      '/v1/approvals',
      {
        schema: {
          summary: 'Ask for approval to use a guarded capability',
          tags,
          body: requestBody,
          response: undeclaredResponse,
        },
        config: { ...AUTHED, operation: 'approvals.request' },
      },
      async (request, reply) => {
        request.auditPath = request.body.path;
        request.auditDetails = { capability: request.body.capability };
        const made = await approvals.request(callerOf(request), request.body);
        request.auditDetails = { capability: made.capability, approvalId: made.id };
        reply.code(201);
        return made;
      },
    );

    app.get<{ Querystring: { status?: ApprovalStatus } }>(
      '/v1/approvals',
      {
        schema: {
          summary: 'Approval requests you made or may approve',
          tags,
          querystring: listQuery,
          response: undeclaredResponse,
        },
        config: { ...AUTHED, operation: 'approvals.list' },
      },
      async (request) => ({ requests: await approvals.list(callerOf(request), request.query.status) }),
    );

    app.get<Id>(
      '/v1/approvals/:id',
      {
        schema: {
          summary: 'One approval request',
          tags,
          params: approvalParams,
          response: undeclaredResponse,
        },
        config: { ...AUTHED, operation: 'approvals.read' },
      },
      async (request) => approvals.get(callerOf(request), request.params.id),
    );

    const vote = (kind: 'grant' | 'deny') => async (request: FastifyRequest<Vote>) => {
      const { id } = request.params;
      const subject = await approvals.get(callerOf(request), id);
      request.auditPath = subject.path;
      request.auditDetails = { approvalId: id, requester: subject.requester };
      await checkerOf(request).require(subject.path, 'approve');
      return approvals[kind](callerOf(request), id, request.body?.comment);
    };
    app.post<Vote>(
      '/v1/approvals/:id/grant',
      {
        schema: {
          summary: 'Approve a request (never your own)',
          tags,
          params: approvalParams,
          body: voteBody,
          response: undeclaredResponse,
        },
        config: { ...VOTE, operation: 'approvals.grant' },
      },
      vote('grant'),
    );
    app.post<Vote>(
      '/v1/approvals/:id/deny',
      {
        schema: {
          summary: 'Deny a request (closes it)',
          tags,
          params: approvalParams,
          body: voteBody,
          response: undeclaredResponse,
        },
        config: { ...VOTE, operation: 'approvals.deny' },
      },
      vote('deny'),
    );

    app.post<{ Params: { name: string } }>(
      '/v1/gates/:name/pass',
      {
        schema: {
          summary: 'Pass a deploy gate (spends one approval)',
          tags,
          params: gateParams,
          response: undeclaredResponse,
        },
        config: {
          ...onAuditedPath(
            'read',
            (r: FastifyRequest<{ Params: { name: string } }>) => `gates/${r.params.name}`,
          ),
          operation: 'gates.pass',
        },
      },
      async (request) => {
        return { gate: request.params.name, passed: true };
      },
    );
  };
}

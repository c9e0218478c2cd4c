import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { approvalApi as api } from '../../../api/approvals.js';
import { type RouteTypes, routeSchema } from '../../../api/contract.js';
import type { ApprovalService } from '../../../approvals/index.js';
import { gateRequestDigest } from '../../../core/approvals/index.js';
import { checkerOf, routeAuth } from '../../route-config.js';
import { AUTHED } from '../auth-helpers.js';
import { callerOf } from '../secrets/secrets-request.js';

/** What {@link approvalRoutes} is built from. */
export interface ApprovalRouteDeps {
  readonly approvals: ApprovalService;
}

/** A vote needs `approve` on the request's path, known only once the request is read: checked in the handler. */
const VOTE = { requireUnsealed: true, auth: routeAuth.perItem('approve') } as const;
type Vote = RouteTypes<typeof api.grant>;
type Gate = FastifyRequest<RouteTypes<typeof api.passGate>>;

/** The `requestDigest` of a gate pass: the gate and its artefacts in order (unpinned approvals ignore it). */
export function gateDigest(request: Gate): string {
  const digest = gateRequestDigest(request.params.name, request.body?.artefacts ?? []);
  request.auditDetails = { ...request.auditDetails, requestDigest: digest };
  return digest;
}

/**
 * Approvals (`/v1/approvals`) and deploy gates (`/v1/gates/:name/pass`). Requests are open to any token (the service
 * refuses subjects no rule guards); voting needs `approve` on the request's path; passing a gate is `read` on
 * `gates/<name>`, which a policy rule guards with `approvals`.
 */
export function approvalRoutes(deps: ApprovalRouteDeps): FastifyPluginAsync {
  const { approvals } = deps;
  return async (app) => {
    app.post<RouteTypes<typeof api.request>>(
      api.request.path,
      { schema: routeSchema(api.request), config: { ...AUTHED, operation: 'approvals.request' } },
      async (request, reply) => {
        const { body } = request;
        const pinned: Record<string, string> = body.requestDigest
          ? { requestDigest: body.requestDigest }
          : {};
        request.auditPath = body.path;
        request.auditDetails = { capability: body.capability, ...pinned };
        const made = await approvals.request(callerOf(request), body);
        request.auditDetails = { capability: made.capability, approvalId: made.id, ...pinned };
        reply.code(201);
        return made;
      },
    );

    app.get<RouteTypes<typeof api.list>>(
      api.list.path,
      { schema: routeSchema(api.list), config: { ...AUTHED, operation: 'approvals.list' } },
      async (request) => ({ requests: await approvals.list(callerOf(request), request.query.status) }),
    );

    app.get<RouteTypes<typeof api.show>>(
      api.show.path,
      { schema: routeSchema(api.show), config: { ...AUTHED, operation: 'approvals.read' } },
      async (request) => approvals.get(callerOf(request), request.params.id),
    );

    const vote = (kind: 'grant' | 'deny') => async (request: FastifyRequest<Vote>) => {
      const { id } = request.params;
      const subject = await approvals.get(callerOf(request), id);
      request.auditPath = subject.path;
      request.auditDetails = {
        approvalId: id,
        requester: subject.requester,
        ...(subject.requestDigest ? { requestDigest: subject.requestDigest } : {}),
      };
      await checkerOf(request).require(subject.path, 'approve');
      return approvals[kind](callerOf(request), id, request.body?.comment);
    };
    app.post<Vote>(
      api.grant.path,
      { schema: routeSchema(api.grant), config: { ...VOTE, operation: 'approvals.grant' } },
      vote('grant'),
    );
    app.post<Vote>(
      api.deny.path,
      { schema: routeSchema(api.deny), config: { ...VOTE, operation: 'approvals.deny' } },
      vote('deny'),
    );

    app.post<RouteTypes<typeof api.passGate>>(
      api.passGate.path,
      {
        schema: routeSchema(api.passGate),
        config: {
          requireUnsealed: true,
          operation: 'gates.pass',
          auth: routeAuth.derived(
            'read',
            (r: Gate) => {
              r.auditPath = `gates/${r.params.name}`;
              return r.auditPath;
            },
            gateDigest,
          ),
        },
      },
      async (request) => ({ gate: request.params.name, passed: true as const }),
    );
  };
}

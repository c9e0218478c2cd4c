import type { FastifyPluginAsync } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import { callerToken } from '../../../identity/server-auth.js';
import type { LeakReport, LeaseRef, Remediation } from '../../../incident/remediate-leaks.js';
import type {} from '../../plugins/audit.js';
import { checkerOf, routeAuth } from '../../route-config.js';

/** What the remediation route needs. */
export interface RemediateRouteDeps {
  readonly remediation: Remediation;
}

const MAX_ITEMS = 1000;
const where = {
  type: 'array',
  minItems: 1,
  maxItems: 100,
  items: { type: 'string', minLength: 1, maxLength: 1024 },
} as const;
/** A list of leaked items: each one string field (a path, a token, a value) and where it was seen. */
const leaks = (field: string, maxLength: number) =>
  ({
    type: 'array',
    maxItems: MAX_ITEMS,
    items: {
      type: 'object',
      required: [field, 'where'],
      additionalProperties: false,
      properties: { [field]: { type: 'string', minLength: 1, maxLength }, where },
    },
  }) as const;
const body = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apply: { type: 'boolean' },
    secrets: leaks('path', 1024),
    tokens: leaks('token', 256),
    credentials: leaks('value', 256),
  },
} as const;

/**
 * `POST /v1/sys/remediate`: what `hush scan --remediate` sends (and a CI job may send itself). Needs `sudo` on
 * `sys/remediate`, and `read` on each secret it names: it rotates those, revokes any leaked token it sends, and
 * revokes the lease of any leaked credential value it sends when the caller owns that lease or holds `update` on it.
 * Without `apply: true` it is a dry run.
 * The audit record is the incident: its id, where the values leaked and what was done, never a token or a value.
 */
export function remediateRoutes(deps: RemediateRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: LeakReport }>(
      '/v1/sys/remediate',
      {
        schema: {
          summary: 'Remediate leaked values a scan found: rotate secrets, revoke tokens, alert',
          tags: ['incident'],
          body,
          response: undeclaredResponse,
        },
        config: {
          requireUnsealed: true,
          operation: 'sys.remediate',
          // Per item: a caller reaches only the secrets it may read (the only ones its scan can match) and the leases it
          // may revoke (`update`, as `POST /v1/leases/revoke`).
          auth: routeAuth.fixed('sys/remediate', 'sudo', 'read', 'update'),
        },
      },
      async (request) => {
        request.auditPath = 'sys/remediate';
        // A silent check (no denial record per path): the refusal is the action's, reported in the reply.
        const checker = checkerOf(request);
        const mayRead = (path: string) => checker.holds(path, 'read');
        // A lease is reached by its owner token or with `update` on it, as `POST /v1/leases/revoke`.
        const accessor = callerToken(request.caller)?.accessor ?? request.caller?.id;
        const mayRevokeLease = async (lease: LeaseRef) =>
          lease.owner.tokenAccessor === accessor || checker.holds(`sys/leases/${lease.leaseId}`, 'update');
        const result = await deps.remediation.remediate(request.body, mayRead, mayRevokeLease);
        request.auditDetails = {
          incident: result.incident,
          dryRun: result.dryRun,
          actions: result.actions.map((a) => ({
            kind: a.kind,
            target: a.target,
            where: [...a.where],
            ...(a.version !== undefined ? { version: a.version } : {}),
            ...(a.revoked ? { revoked: [...a.revoked] } : {}),
          })),
        };
        return result;
      },
    );
  };
}

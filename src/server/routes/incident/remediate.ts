import type { FastifyPluginAsync } from 'fastify';
import type { LeakReport, Remediation } from '../../../incident/remediate-leaks.js';
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
const body = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apply: { type: 'boolean' },
    secrets: {
      type: 'array',
      maxItems: MAX_ITEMS,
      items: {
        type: 'object',
        required: ['path', 'where'],
        additionalProperties: false,
        properties: { path: { type: 'string', minLength: 1, maxLength: 1024 }, where },
      },
    },
    tokens: {
      type: 'array',
      maxItems: MAX_ITEMS,
      items: {
        type: 'object',
        required: ['token', 'where'],
        additionalProperties: false,
        properties: { token: { type: 'string', minLength: 1, maxLength: 256 }, where },
      },
    },
  },
} as const;

/**
 * `POST /v1/sys/remediate`: what `hush scan --remediate` sends (and a CI job may send itself). Needs `sudo` on
 * `sys/remediate`, and `read` on each secret it names: it rotates those and revokes any leaked token it sends. Without `apply: true` it is a dry run.
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
        },
        config: {
          requireUnsealed: true,
          operation: 'sys.remediate',
          // Per item: a caller reaches only the secrets it may read (the only ones its scan can match).
          auth: routeAuth.fixed('sys/remediate', 'sudo', 'read'),
        },
      },
      async (request) => {
        request.auditPath = 'sys/remediate';
        // A silent check (no denial record per path): the refusal is the action's, reported in the reply.
        const checker = checkerOf(request);
        const mayRead = (path: string) => checker.holds(path, 'read');
        const result = await deps.remediation.remediate(request.body, mayRead);
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

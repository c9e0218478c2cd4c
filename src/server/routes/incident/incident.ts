import type { FastifyPluginAsync } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import { parseWhen } from '../../../core/audit/parse-when.js';
import { type DeploymentFacts, renderRunbook } from '../../../core/incident/runbook.js';
import type { IncidentService } from '../../../incident/incident-service.js';
import { routeAuth } from '../../route-config.js';

/** What the incident routes need: the incident use cases and the facts the runbook names. */
export interface IncidentRouteDeps {
  readonly incident: IncidentService;
  readonly facts: () => DeploymentFacts | Promise<DeploymentFacts>;
}

const SUDO = { path: 'sys/incident', capability: 'sudo' } as const;
const guarded = { requireUnsealed: true, auth: routeAuth.fixed(SUDO.path, SUDO.capability) } as const;
const identityBody = {
  type: 'object',
  required: ['identity'],
  additionalProperties: false,
  properties: { identity: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;
const prefixBody = {
  type: 'object',
  required: ['prefix'],
  additionalProperties: false,
  properties: { prefix: { type: 'string', minLength: 1, maxLength: 1024 } },
} as const;
const reportQuery = {
  type: 'object',
  required: ['path'],
  additionalProperties: false,
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 1024 },
    since: { type: 'string', maxLength: 64 },
    until: { type: 'string', maxLength: 64 },
  },
} as const;

/**
 * `/v1/sys/incident/*` (revoke an identity, rotate a scope, blast-radius report, lockdown) and `GET /v1/sys/runbook`.
 * All need `sudo` on `sys/incident` (lockdown also works through `/v1/sys/seal` with `sudo` on `sys/seal`). Every call
 * is audited with its target (identity, prefix or path) but never a value.
 */
export function incidentRoutes(deps: IncidentRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { identity: string } }>(
      '/v1/sys/incident/revoke',
      {
        schema: {
          summary: 'Revoke every token and lease of an identity',
          tags: ['incident'],
          body: identityBody,
          response: undeclaredResponse,
        },
        config: { ...guarded, operation: 'incident.revoke' },
      },
      async (request) => {
        request.auditPath = 'sys/incident';
        request.auditDetails = { identity: request.body.identity };
        return deps.incident.revokeIdentity(request.body.identity);
      },
    );

    app.post<{ Body: { prefix: string } }>(
      '/v1/sys/incident/rotate',
      {
        schema: {
          summary: 'Rotate every secret below a prefix',
          tags: ['incident'],
          body: prefixBody,
          response: undeclaredResponse,
        },
        config: { ...guarded, operation: 'incident.rotate' },
      },
      async (request) => {
        request.auditPath = request.body.prefix;
        return deps.incident.rotateScope(request.body.prefix);
      },
    );

    app.get<{ Querystring: { path: string; since?: string; until?: string } }>(
      '/v1/sys/incident/report',
      {
        schema: {
          summary: 'Who read, changed or probed a path (from the audit trail)',
          tags: ['incident'],
          querystring: reportQuery,
          response: undeclaredResponse,
        },
        config: { ...guarded, operation: 'incident.report' },
      },
      async (request) => {
        const { path, since, until } = request.query;
        request.auditPath = path;
        const now = new Date();
        return deps.incident.report({
          path,
          ...(since ? { since: parseWhen(since, 'since', now) } : {}),
          ...(until ? { until: parseWhen(until, 'until', now) } : {}),
        });
      },
    );

    app.post(
      '/v1/sys/incident/lockdown',
      {
        schema: {
          summary: 'Seal the store now (every node, through the persistent lockdown flag)',
          tags: ['incident'],
          response: undeclaredResponse,
        },
        config: { ...guarded, operation: 'incident.lockdown' },
      },
      async (request) => {
        request.auditPath = 'sys/incident';
        await deps.incident.lockdown();
        return { sealed: true };
      },
    );

    app.get(
      '/v1/sys/runbook',
      {
        schema: {
          summary: 'The incident runbook for this deployment (Markdown)',
          tags: ['incident'],
          response: undeclaredResponse,
        },
        config: { ...guarded, operation: 'incident.runbook' },
      },
      async (request) => {
        request.auditPath = 'sys/incident';
        const facts = await deps.facts();
        return { facts, markdown: renderRunbook(facts) };
      },
    );
  };
}

import type { FastifyPluginAsync } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import type { Canaries } from '../../../incident/canaries.js';
import type {} from '../../plugins/audit.js';
import { routeAuth } from '../../route-config.js';
import { callerOf } from '../secrets/secrets-request.js';

/** What the canary routes need. */
export interface CanaryRouteDeps {
  readonly canaries: Canaries;
}

const SUDO = routeAuth.fixed('sys/canaries', 'sudo');
const createBody = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    path: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;
const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/**
 * `/v1/sys/canaries`: create (a decoy secret at a path, or a decoy token returned once), list, delete. All need
 * `sudo` on `sys/canaries`: the list is exactly what an attacker would want. Audit records name the canary and its
 * path, never the decoy value or token, and carry the path under `details`, not as the record's path (managing a
 * canary is not touching it).
 */
export function canaryRoutes(deps: CanaryRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { name: string; path?: string } }>(
      '/v1/sys/canaries',
      {
        schema: {
          summary: 'Create a canary (decoy secret or token)',
          tags: ['incident'],
          body: createBody,
          response: undeclaredResponse,
        },
        config: { requireUnsealed: true, operation: 'sys.canaries.create', auth: SUDO },
      },
      async (request) => {
        request.auditPath = 'sys/canaries';
        const { name, path } = request.body;
        request.auditDetails = {
          name,
          kind: path === undefined ? 'token' : 'path',
          ...(path ? { decoy: path } : {}),
        };
        return deps.canaries.create({ name, ...(path !== undefined ? { path } : {}) }, callerOf(request).id);
      },
    );
    app.get(
      '/v1/sys/canaries',
      {
        schema: {
          summary: 'List canaries (never their tokens)',
          tags: ['incident'],
          response: undeclaredResponse,
        },
        config: { requireUnsealed: true, operation: 'sys.canaries.list', auth: SUDO },
      },
      async (request) => {
        request.auditPath = 'sys/canaries';
        return { canaries: await deps.canaries.list() };
      },
    );
    app.delete<{ Params: { name: string } }>(
      '/v1/sys/canaries/:name',
      {
        schema: {
          summary: 'Delete a canary (and its decoy secret)',
          tags: ['incident'],
          params: nameParams,
          response: undeclaredResponse,
        },
        config: { requireUnsealed: true, operation: 'sys.canaries.delete', auth: SUDO },
      },
      async (request) => {
        request.auditPath = 'sys/canaries';
        request.auditDetails = { name: request.params.name };
        return deps.canaries.delete(request.params.name);
      },
    );
  };
}

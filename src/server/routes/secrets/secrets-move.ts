import type { FastifyPluginAsync } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import { parsePrefix } from '../../../core/secrets/address.js';
import type {} from '../../plugins/audit.js';
import { checkerOf, routeAuth } from '../../route-config.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { actorOf, requireWholeSubtree } from './secrets-request.js';
import { moveBodySchema } from './secrets-schemas.js';

/**
 * POST /v1/move {from, to, overwrite?}: rename a secret and everything below it. A move rewrites whole subtrees,
 * so it needs `admin` on both `from` and `to` (a per-secret check could not cover secrets created mid-move).
 */
export function secretsMoveRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { from: string; to: string; overwrite?: boolean } }>(
      '/v1/move',
      {
        schema: {
          summary: 'Move a secret or subtree',
          tags: ['secrets'],
          body: moveBodySchema,
          response: undeclaredResponse,
        },
        config: { requireUnsealed: true, auth: routeAuth.perItem('admin'), operation: 'secrets.move' },
      },
      async (request) => {
        const { from, to, overwrite } = request.body;
        parsePrefix(from);
        parsePrefix(to);
        request.auditPath = from;
        request.auditDetails = { to };
        for (const prefix of [from, to]) {
          await checkerOf(request).require(prefix, 'admin');
          await requireWholeSubtree(deps, request, prefix, 'admin');
        }
        const result = await deps.store.move(from, to, {
          actor: actorOf(request),
          ...(overwrite !== undefined ? { overwrite } : {}),
          ...(deps.onSecretMoved ? { onMoved: deps.onSecretMoved } : {}),
        });
        request.auditDetails = { to, moved: result.moved.length };
        return result;
      },
    );
  };
}

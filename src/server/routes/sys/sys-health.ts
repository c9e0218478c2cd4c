import type { FastifyPluginAsync } from 'fastify';
import { routeAuth } from '../../route-config.js';
import type { SealControl } from '../../server-deps.js';
import { healthSchema } from './sys-schemas.js';

/**
 * `GET /v1/sys/health`: unauthenticated, never seal-guarded, for load balancers. Like Vault: 200 when unsealed,
 * 503 when sealed, 501 when not initialised; the body says which.
 */
export function sysHealthRoutes(store: Pick<SealControl, 'status'>, version: string): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/v1/sys/health',
      {
        schema: {
          summary: 'Health and seal state',
          tags: ['sys'],
          response: { 200: healthSchema, 501: healthSchema, 503: healthSchema },
        },
        // Load balancers probe it without credentials.
        config: { auth: routeAuth.public },
      },
      async (_request, reply) => {
        const status = await store.status();
        reply.code(!status.initialized ? 501 : status.sealed ? 503 : 200);
        return {
          initialized: status.initialized,
          sealed: status.sealed,
          version,
          serverTimeUtc: Math.floor(Date.now() / 1000),
        };
      },
    );
  };
}

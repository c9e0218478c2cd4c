import type { FastifyPluginAsync } from 'fastify';
import { REQUESTABLE_CAPABILITIES } from '../../core/policy/index.js';
import { checkerOf, routeAuth } from '../route-config.js';

/** At most this many paths per call: a console page asks about the handful of actions it shows. */
const MAX_PATHS = 200;

/**
 * `POST /v1/sys/capabilities-self` `{ paths }` -> `{ capabilities: { [path]: [...] } }`: what the calling token may do
 * on each policy path (as Vault's sys/capabilities-self), so the console hides or disables what the caller cannot
 * take instead of guessing. Each answer comes from the one checker's probe that spends nothing (a use guarded by
 * approvals is not listed, as it cannot be taken now), and no path is read: asking is not reading.
 */
export function capabilitiesSelfRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { paths: string[] } }>(
      '/v1/sys/capabilities-self',
      {
        schema: {
          summary: "The calling token's capabilities on each of some policy paths",
          tags: ['sys'],
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['paths'],
            properties: {
              paths: {
                type: 'array',
                maxItems: MAX_PATHS,
                items: { type: 'string', maxLength: 1024 },
              },
            },
          },
          response: {
            200: {
              type: 'object',
              additionalProperties: false,
              properties: {
                capabilities: {
                  type: 'object',
                  additionalProperties: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
        config: { requireUnsealed: true, auth: routeAuth.perItem(...REQUESTABLE_CAPABILITIES) },
      },
      async (request) => {
        const checker = checkerOf(request);
        const capabilities: Record<string, string[]> = {};
        for (const path of new Set(request.body.paths)) {
          const held: string[] = [];
          for (const capability of REQUESTABLE_CAPABILITIES) {
            if (await checker.mayUseFreely(path, capability)) held.push(capability);
          }
          capabilities[path] = held;
        }
        return { capabilities };
      },
    );
  };
}

import type { FastifyPluginAsync } from 'fastify';
import type { EngineService } from '../../../engines/engine-service.js';
import type {} from '../../plugins/audit.js';
import { checkerOf, routeAuth } from '../../route-config.js';

/** What the engines list route needs. */
export interface EnginesListDeps {
  readonly engines: Pick<EngineService, 'list'>;
}

const names = { type: 'array', items: { type: 'string' } } as const;

/**
 * `GET /v1/sys/engines` -> `{ engines: [{ name, roles }] }`: the dynamic-credential engines the caller may `read`
 * (`sys/engines/<name>`), each with the roles it may `read` (`sys/engines/<name>/roles/<role>`); the others are left
 * out, as a list shows only what its caller could read one by one. Never a connection URL.
 */
export function enginesListRoutes(deps: EnginesListDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/v1/sys/engines',
      {
        schema: {
          summary: 'List the secrets engines and roles the caller may read',
          tags: ['creds'],
          response: {
            200: {
              type: 'object',
              required: ['engines'],
              additionalProperties: false,
              properties: {
                engines: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['name', 'roles'],
                    additionalProperties: false,
                    properties: { name: { type: 'string' }, roles: names },
                  },
                },
              },
            },
          },
        },
        config: { requireUnsealed: true, operation: 'creds.engine.list', auth: routeAuth.perItem('read') },
      },
      async (request) => {
        request.auditPath = 'sys/engines';
        // A silent check per item: an engine the caller may not read is simply not listed.
        const may = (path: string) => checkerOf(request).mayUseFreely(path, 'read');
        const engines: { name: string; roles: string[] }[] = [];
        for (const e of await deps.engines.list()) {
          if (!(await may(`sys/engines/${e.name}`))) continue;
          const roles: string[] = [];
          for (const r of e.roles) if (await may(`sys/engines/${e.name}/roles/${r}`)) roles.push(r);
          engines.push({ name: e.name, roles });
        }
        request.auditDetails = { shown: engines.length };
        return { engines };
      },
    );
  };
}

import type { FastifyPluginAsync } from 'fastify';
import type { IdentityServices } from '../../../identity/index.js';
import { authorized } from '../auth-helpers.js';
import { ruleRef, whoCanBody } from './auth-schemas.js';

const holderSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: ['token', 'approle', 'jwt'] },
    name: { type: 'string' },
    identity: { type: 'string' },
    policies: { type: 'array', items: { type: 'string' } },
    reason: { type: 'string' },
    rule: ruleRef,
  },
} as const;

/** Access review: who holds a capability on a path (needs `read` on `sys/access/who-can`). */
export function accessRoutes(services: IdentityServices): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { path: string; capability: string } }>(
      '/v1/sys/access/who-can',
      {
        schema: {
          summary: 'List live tokens and login roles allowed a capability on a path',
          tags: ['sys'],
          body: whoCanBody,
          response: {
            200: {
              type: 'object',
              additionalProperties: false,
              properties: {
                path: { type: 'string' },
                capability: { type: 'string' },
                holders: { type: 'array', items: holderSchema },
              },
            },
          },
        },
        config: authorized('sys/access/who-can', 'read'),
      },
      async (request) => ({
        path: request.body.path,
        capability: request.body.capability,
        holders: await services.access.whoCan(request.body.path, request.body.capability),
      }),
    );
  };
}

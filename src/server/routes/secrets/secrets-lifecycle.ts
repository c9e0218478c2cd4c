import type { FastifyPluginAsync } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import type { RequestedCapability } from '../../../core/policy/index.js';
import type {} from '../../plugins/audit.js';
import { authorizedPath } from '../../route-config.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { actorOf, onAddress, parseVersionList } from './secrets-request.js';
import {
  deleteQuerySchema,
  optionalBody,
  rollbackBodySchema,
  versionsBodySchema,
} from './secrets-schemas.js';

/**
 * Version lifecycle: DELETE /v1/secrets/<address>?versions= (soft), POST /v1/secrets-undelete/<address>,
 * POST /v1/secrets-destroy/<address> (crypto-shred), POST /v1/secrets-rollback/<address>.
 */
export function secretsLifecycleRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.delete<{ Querystring: { versions?: string } }>(
      '/v1/secrets/*',
      {
        schema: {
          summary: 'Soft-delete versions (default the latest)',
          tags: ['secrets'],
          querystring: deleteQuerySchema,
          response: undeclaredResponse,
        },
        config: { ...onAddress('/v1/secrets/', 'delete'), operation: 'secrets.delete' },
      },
      async (request) => {
        const address = authorizedPath(request);
        const versions = parseVersionList(request.query.versions);
        const result = await deps.store.delete(address, {
          actor: actorOf(request),
          ...(versions ? { versions } : {}),
        });
        request.auditDetails = { changed: result.changed };
        return result;
      },
    );

    const change = (name: 'undelete' | 'destroy', capability: RequestedCapability, summary: string): void => {
      const prefix = `/v1/secrets-${name}/`;
      app.post<{ Body: { versions?: number[] } | undefined }>(
        `${prefix}*`,
        {
          schema: { summary, tags: ['secrets'], body: versionsBodySchema, response: undeclaredResponse },
          config: { ...onAddress(prefix, capability), operation: `secrets.${name}` },
          preValidation: optionalBody,
        },
        async (request) => {
          const address = authorizedPath(request);
          const versions = request.body?.versions;
          const result = await deps.store[name](address, {
            actor: actorOf(request),
            ...(versions ? { versions } : {}),
          });
          request.auditDetails = { changed: result.changed };
          return result;
        },
      );
    };
    // Undoing a delete needs the same right as the delete; destroying is separate because it cannot be undone.
    change('undelete', 'delete', 'Restore soft-deleted versions (default the latest)');
    change('destroy', 'destroy', 'Crypto-shred versions for good (default the latest)');

    app.post<{ Body: { version: number; cas?: number } }>(
      '/v1/secrets-rollback/*',
      {
        schema: {
          summary: 'Write a new version holding an older one',
          tags: ['secrets'],
          body: rollbackBodySchema,
          response: undeclaredResponse,
        },
        config: { ...onAddress('/v1/secrets-rollback/', 'update'), operation: 'secrets.rollback' },
      },
      async (request) => {
        const address = authorizedPath(request);
        const { version, cas } = request.body;
        const result = await deps.store.rollback(address, {
          version,
          actor: actorOf(request),
          ...(cas !== undefined ? { cas } : {}),
        });
        request.auditDetails = { from: version, version: result.version };
        return result;
      },
    );
  };
}

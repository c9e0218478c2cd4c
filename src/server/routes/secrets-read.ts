import type { FastifyPluginAsync } from 'fastify';
import type {} from '../plugins/audit.js';
import type {} from '../route-config.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { addressFrom, requireCapability } from './secrets-request.js';
import { readQuerySchema } from './secrets-schemas.js';

const guarded = { requireUnsealed: true, auth: true } as const;

/** GET /v1/secrets/<address> (value, latest or `?version=`) and GET /v1/metadata/<address> (versions, no value). */
export function secretsReadRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { version?: string } }>(
      '/v1/secrets/*',
      {
        schema: {
          summary: 'Read a secret (latest, or ?version=)',
          tags: ['secrets'],
          querystring: readQuerySchema,
        },
        config: { ...guarded, operation: 'secrets.read' },
      },
      async (request) => {
        const address = addressFrom(request, '/v1/secrets/');
        await requireCapability(deps, request, address, 'read');
        const version = request.query.version;
        const read = await deps.store.get(address, version ? { version: Number(version) } : {});
        request.auditDetails = { version: read.version };
        return read;
      },
    );

    app.get(
      '/v1/metadata/*',
      {
        schema: { summary: 'Metadata and version list of a secret (no value)', tags: ['secrets'] },
        config: { ...guarded, operation: 'secrets.metadata.read' },
      },
      async (request) => {
        const address = addressFrom(request, '/v1/metadata/');
        await requireCapability(deps, request, address, 'read');
        return deps.store.versions(address);
      },
    );
  };
}

import type { FastifyPluginAsync } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import type { DocumentFormat } from '../../../store/index.js';
import type {} from '../../plugins/audit.js';
import { authorizedPath } from '../../route-config.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { actorOf, onPrefix, requireWholeSubtree } from './secrets-request.js';
import { exportQuerySchema, flag, importBodySchema } from './secrets-schemas.js';

/**
 * POST /v1/import/<prefix> {format, text, overwrite?} and GET /v1/export/<prefix>?format=&recursive=. Both act on
 * every secret below the prefix at once, so both need `admin` on the prefix.
 */
export function secretsTransferRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { format: DocumentFormat; text: string; overwrite?: boolean } }>(
      '/v1/import/*',
      {
        schema: {
          summary: 'Import a .env/JSON/YAML document below a prefix',
          tags: ['secrets'],
          body: importBodySchema,
          response: undeclaredResponse,
        },
        config: { ...onPrefix('/v1/import/', 'admin'), operation: 'secrets.import' },
      },
      async (request) => {
        const prefix = authorizedPath(request);
        await requireWholeSubtree(deps, request, prefix, 'admin');
        const { format, text, overwrite } = request.body;
        const report = await deps.store.importSecrets(prefix, {
          format,
          text,
          actor: actorOf(request),
          ...(overwrite !== undefined ? { overwrite } : {}),
        });
        request.auditDetails = { format, counts: { ...report.counts } };
        return report;
      },
    );

    app.get<{ Querystring: { format: DocumentFormat; recursive?: string } }>(
      '/v1/export/*',
      {
        schema: {
          summary: 'Export latest values below a prefix (the reply is secret)',
          tags: ['secrets'],
          querystring: exportQuerySchema,
          response: undeclaredResponse,
        },
        config: { ...onPrefix('/v1/export/', 'admin'), operation: 'secrets.export' },
      },
      async (request) => {
        const prefix = authorizedPath(request);
        await requireWholeSubtree(deps, request, prefix, 'admin');
        const { format, recursive } = request.query;
        const result = await deps.store.exportSecrets(prefix, { format, recursive: flag(recursive) });
        request.auditDetails = { format, exported: result.exported.length, skipped: result.skipped.length };
        return result;
      },
    );
  };
}

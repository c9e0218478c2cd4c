import type { FastifyPluginAsync } from 'fastify';
import { type RouteTypes, routeSchema } from '../../../api/contract.js';
import { secretsApi } from '../../../api/secrets.js';
import type { VersionLabel } from '../../../store/index.js';
import type {} from '../../plugins/audit.js';
import { authorizedPath } from '../../route-config.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { onAddress } from './secrets-request.js';

/** GET /v1/secrets/<address> (value, latest or `?version=`) and GET /v1/metadata/<address> (versions, no value). */
export function secretsReadRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<RouteTypes<typeof secretsApi.read>>(
      secretsApi.read.path,
      {
        schema: routeSchema(secretsApi.read),
        config: { ...onAddress('/v1/secrets/', 'read'), operation: 'secrets.read' },
      },
      async (request) => {
        const address = authorizedPath(request);
        const { version, label } = request.query;
        const selector: { version?: number; label?: VersionLabel } = {};
        if (version) selector.version = Number(version);
        if (label) selector.label = label;
        const read = await deps.store.get(address, selector);
        request.auditDetails = label ? { version: read.version, label } : { version: read.version };
        return read;
      },
    );

    app.get<RouteTypes<typeof secretsApi.metadata>>(
      secretsApi.metadata.path,
      {
        schema: routeSchema(secretsApi.metadata),
        config: { ...onAddress('/v1/metadata/', 'read'), operation: 'secrets.metadata.read' },
      },
      async (request) => {
        const address = authorizedPath(request);
        return deps.store.versions(address);
      },
    );
  };
}

import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type {} from '../plugins/audit.js';
import type {} from '../route-config.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { prefixFrom, requireCapability } from './secrets-request.js';
import { emptyBodySchema, optionalBody, rewrapBodySchema } from './secrets-schemas.js';

const guarded = { requireUnsealed: true, auth: true } as const;

/** The `project/env` scope of /v1/keys/<project>/<env>/<action>, validated as a two-segment prefix. */
function scopeFrom(request: FastifyRequest, action: string): string {
  const scope = prefixFrom(request, '/v1/keys/').replace(new RegExp(`/${action}$`), '');
  request.auditPath = scope;
  return scope;
}

/**
 * Key management: POST /v1/keys/<project>/<env>/rotate (new KEK version), POST /v1/keys/<project>/<env>/rewrap
 * {prune?} (both need `rotate` on `project/env`), POST /v1/sys/rotate-root (needs `admin` on `sys/rotate-root`;
 * returns the new one-time unseal material).
 */
export function keysRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post(
      '/v1/keys/:project/:env/rotate',
      {
        schema: { summary: 'Add a KEK version for project/env', tags: ['keys'], body: emptyBodySchema },
        config: { ...guarded, operation: 'keys.rotate' },
        preValidation: optionalBody,
      },
      async (request) => {
        const scope = scopeFrom(request, 'rotate');
        await requireCapability(deps, request, scope, 'rotate');
        return deps.store.rotateKek(scope);
      },
    );

    app.post<{ Body: { prune?: boolean } | undefined }>(
      '/v1/keys/:project/:env/rewrap',
      {
        schema: {
          summary: 'Rewrap every data key of project/env to the current KEK',
          tags: ['keys'],
          body: rewrapBodySchema,
        },
        config: { ...guarded, operation: 'keys.rewrap' },
        preValidation: optionalBody,
      },
      async (request) => {
        const scope = scopeFrom(request, 'rewrap');
        await requireCapability(deps, request, scope, 'rotate');
        const prune = request.body?.prune;
        const result = await deps.store.rewrap(scope, prune !== undefined ? { prune } : {});
        request.auditDetails = { rewrapped: result.rewrapped, kekVersion: result.kekVersion };
        return result;
      },
    );

    app.post(
      '/v1/sys/rotate-root',
      {
        schema: {
          summary: 'New root key; returns new one-time unseal material',
          tags: ['keys'],
          body: emptyBodySchema,
        },
        preValidation: optionalBody,
        config: {
          ...guarded,
          operation: 'sys.rotate-root',
          auth: { authorize: { path: 'sys/rotate-root', capability: 'admin' } },
        },
      },
      async (request) => {
        request.auditPath = 'sys/rotate-root';
        return deps.store.rotateRoot(deps.rotateRootOptions?.() ?? {});
      },
    );
  };
}

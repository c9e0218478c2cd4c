import type { FastifyPluginAsync } from 'fastify';
import { keysRoutes } from './keys.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { secretsLifecycleRoutes } from './secrets-lifecycle.js';
import { secretsListRoutes } from './secrets-list.js';
import { secretsMoveRoutes } from './secrets-move.js';
import { secretsReadRoutes } from './secrets-read.js';
import { secretsTransferRoutes } from './secrets-transfer.js';
import { secretsWriteRoutes } from './secrets-write.js';

export type { CallerPolicies, SecretsRouteDeps, SecretsStore } from './secrets-deps.js';

/**
 * The secrets API v1 (secrets, metadata, lifecycle, list, move, import/export, keys), as one plugin for
 * `deps.routes`. Every route needs a token; per-path capabilities are checked against the validated address.
 *
 * @example
 * buildApp({ version, store: sealControl, auth, audit: audit.serverAudit,
 *   routes: [audit, secretsRoutes({ store, auth, callerPolicies, limits: config.limits })] }, config);
 */
export function secretsRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(secretsReadRoutes(deps));
    await app.register(secretsWriteRoutes(deps));
    await app.register(secretsLifecycleRoutes(deps));
    await app.register(secretsListRoutes(deps));
    await app.register(secretsMoveRoutes(deps));
    await app.register(secretsTransferRoutes(deps));
    await app.register(keysRoutes(deps));
  };
}

import type { FastifyPluginAsync } from 'fastify';
import type { ServerAudit, ServerAuth } from '../../../ports/index.js';
import { keyPolicyPath, type Transit } from '../../../transit/index.js';
import { authorizeDynamic } from '../auth-helpers.js';
import { registerTransitKeyRoutes } from './transit-key-routes.js';
import { registerTransitOpRoutes, type TransitCheck } from './transit-op-routes.js';

/** What {@link transitRoutes} is built from. */
export interface TransitRouteDeps {
  readonly transit: Transit;
  readonly auth: Pick<ServerAuth, 'authorize'>;
  readonly audit?: ServerAudit;
}

/** The capability check of the transit routes (native and Vault-compatible): on `transit/keys/<name>`, denials audited. */
export function transitCheck(deps: Pick<TransitRouteDeps, 'auth' | 'audit'>): TransitCheck {
  const services = { auth: deps.auth as ServerAuth, ...(deps.audit ? { audit: deps.audit } : {}) };
  return (request, name, capability) =>
    authorizeDynamic(services, request, name === '' ? 'transit/keys' : keyPolicyPath(name), capability);
}

/**
 * The transit API (`/v1/transit/...`). Every operation is a capability on `transit/keys/<name>`: `encrypt`
 * (encrypt, datakey), `decrypt`, `sign` (sign, hmac), `verify` (verify, verify-hmac), `rotate` (rotate, rewrap),
 * plus `create`, `read`, `list`, `update` (config), `destroy` (trim), `delete` and `sudo` (export).
 */
export function transitRoutes(deps: TransitRouteDeps): FastifyPluginAsync {
  return async (app) => {
    const check = transitCheck(deps);
    registerTransitKeyRoutes(app, deps.transit, check);
    registerTransitOpRoutes(app, deps.transit, check);
  };
}

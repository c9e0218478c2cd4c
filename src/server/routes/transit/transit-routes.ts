import type { FastifyPluginAsync } from 'fastify';
import type { Transit } from '../../../transit/index.js';
import { registerTransitKeyRoutes } from './transit-key-routes.js';
import { registerTransitOpRoutes } from './transit-op-routes.js';

/** What {@link transitRoutes} is built from. */
export interface TransitRouteDeps {
  readonly transit: Transit;
}

/**
 * The transit API (`/v1/transit/...`). Every operation is a capability on `transit/keys/<name>`: `encrypt`
 * (encrypt, datakey), `decrypt`, `sign` (sign, hmac), `verify` (verify, verify-hmac), `rotate` (rotate, rewrap),
 * plus `create`, `read`, `list`, `update` (config), `destroy` (trim), `delete` and `sudo` (export).
 */
export function transitRoutes(deps: TransitRouteDeps): FastifyPluginAsync {
  return async (app) => {
    registerTransitKeyRoutes(app, deps.transit);
    registerTransitOpRoutes(app, deps.transit);
  };
}

/** Public surface of the Hush HTTP server, for the CLI command and the integration tests. */

export {
  type LoadedServerConfig,
  type LoadServerConfigOptions,
  loadServerConfig,
} from '../config/server-config.js';
export type { ServerConfig } from '../config/server-config-schema.js';
export { addServerFlags, type ServerFlags } from '../config/server-flags.js';
export { type BuildAppOptions, buildApp, type HushApp } from './app.js';
export { presentedToken } from './plugins/auth-guard.js';
export { type ErrorBody, sendHushError, toHushError } from './plugins/errors.js';
export { type AccessChecker, checkerOf, type RouteAuth, routeAuth } from './route-config.js';
export { type RunServerInput, runServer } from './run-server.js';
export type * from './server-deps.js';
export { type RunningServer, type StartServerOptions, startServer } from './start-server.js';

import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../server-deps.js';
import { capabilitiesSelfRoutes } from './capabilities-self.js';
import { createConsoleSessions } from './console-sessions.js';
import { consoleStaticRoutes } from './console-static.js';
import { oidcLoginRoutes } from './oidc-login.js';
import { installConsoleSession } from './session-hook.js';
import { consoleSessionRoutes } from './session-routes.js';

export { CONSOLE_CSP } from './console-static.js';

/**
 * The web console's server side, in two hooks into buildApp: `installSession` goes before the auth guard (a session
 * cookie stands for its token), `staticRoutes` before the audit plugin (serving the shell's files is not an API
 * call), and `apiRoutes` with the route table after it (logins and logouts are audited like any other write).
 */
export function createConsoleServing(deps: Pick<ServerDeps, 'services'>) {
  const sessions = createConsoleSessions();
  const identity = deps.services?.identity;
  return {
    sessions,
    installSession: (app: FastifyInstance): void => installConsoleSession(app, sessions),
    staticRoutes: consoleStaticRoutes(),
    apiRoutes: (): FastifyPluginAsync[] =>
      identity
        ? [
            capabilitiesSelfRoutes(),
            consoleSessionRoutes(sessions, identity),
            oidcLoginRoutes(sessions, identity),
          ]
        : [],
  };
}

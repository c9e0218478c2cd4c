import type { MessageTable } from '../message-template.js';

/** Messages raised under src/server/console/ (the web console's serving, session and OIDC login). */
export const consoleMessages = {
  CONSOLE_CSRF_MISMATCH: {
    code: 'HUSH_E_FORBIDDEN',
    template: 'a console request that changes state must carry the x-hush-csrf header of its session',
    hint: 'reload the console (the header is read from the hush_csrf cookie); scripts send X-Hush-Token instead of the cookie',
  },
  CONSOLE_ASSET_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no console asset by that name',
  },
  CONSOLE_NOT_BUILT: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'the web console is not built in this installation',
    hint: 'run `npm run build` (it bundles console/ into dist/console)',
  },
  CONSOLE_SESSION_NEEDS_HEADER_TOKEN: {
    code: 'HUSH_E_USAGE',
    template: 'a console session is opened with a token in X-Hush-Token, not with another session',
  },
  CONSOLE_OIDC_NOT_OFFERED: {
    code: 'HUSH_E_USAGE',
    template: 'JWT role "{role}" has no oidcDiscoveryUrl, so it cannot be used for a browser (OIDC) login',
  },
  CONSOLE_OIDC_STATE_UNKNOWN: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'this OIDC login is unknown, expired or was started in another browser',
    hint: 'start the login again from the console',
  },
  CONSOLE_OIDC_PROVIDER_FAILED: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'the OIDC provider refused the login: {reason}',
  },
} as const satisfies MessageTable;

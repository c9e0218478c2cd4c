import type { MessageTable } from '../message-template.js';

/** Messages raised under src/client/ (ids are unique across every domain file). */
export const clientMessages = {
  SERVER_REPLY_NOT_JSON: {
    code: 'HUSH_E_INTERNAL',
    template: 'the server answered HTTP {status} with a body that is not JSON',
    hint: 'check HUSH_ADDR points to a Hush server',
  },
  SERVER_CODE_UPGRADE_CLIENT: {
    code: 'HUSH_E_INTERNAL',
    template: '{message} [server code {code}; upgrade this client]',
  },
  SERVER_ANSWERED_HTTP_WITHOUT_HUSH: {
    code: 'HUSH_E_INTERNAL',
    template: 'the server answered HTTP {status} without a Hush error body',
    hint: 'check HUSH_ADDR points to a Hush server (not a proxy page)',
  },
  CANNOT_REACH_HUSH_SERVER_AFTER: {
    code: 'HUSH_E_CONFIG',
    template: 'cannot reach the Hush server at {base} ({cause}) after {tries} {value}',
    hint: 'check HUSH_ADDR and that the server is running',
  },
  NO_TOKEN_SENT_SET_HUSH: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template:
      'no token was sent: set HUSH_TOKEN to your Hush token (SDK: the token option); the server requires one for this request',
  },
  CA_TRUST_SET_HUSH_CACERT: {
    code: 'HUSH_E_CONFIG',
    template: 'a CA to trust is set (HUSH_CACERT, SDK: tls.ca) but the address {origin} is not https://',
    hint: "use the server's https:// address, or unset HUSH_CACERT for a plain-http server",
  },
} as const satisfies MessageTable;

import type { MessageTable } from '../message-template.js';

/** Messages raised under src/net/ (ids are unique across every domain file). */
export const netMessages = {
  OUTBOUND_ALLOW_ENTRY: {
    code: 'HUSH_E_CONFIG',
    template: 'outbound.allow entry "{entry}" {why}',
    hint: 'write host, *.domain, an IP or a CIDR, optionally with :port',
  },
  NOT_SERVER_S_OUTBOUND_ALLOW: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      "{what} {hostname}:{port} is not on the server's outbound allow-list; an admin adds it to outbound.allow in the server config (see docs/rotation.md)",
  },
} as const satisfies MessageTable;

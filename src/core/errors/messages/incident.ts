import type { MessageTable } from '../message-template.js';

/** Messages raised under src/incident/ (ids are unique across every domain file). */
export const incidentMessages = {
  REVOKE_NEEDS_IDENTITY: {
    code: 'HUSH_E_USAGE',
    template: 'give the identity to revoke, e.g. approle:ci',
  },
  MORE_THAN_SECRETS_BELOW: {
    code: 'HUSH_E_TOO_LARGE',
    template: 'more than {maxRotateScope} secrets below "{prefix}"',
    hint: 'rotate narrower prefixes (e.g. PROJECT/ENV/service)',
  },
} as const satisfies MessageTable;

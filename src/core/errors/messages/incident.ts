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
  CANARY_BAD_NAME: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'canary name "{name}" is not valid',
    hint: 'use 1-64 letters, digits, dot, dash or underscore, starting with a letter or digit',
  },
  CANARY_EXISTS: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: 'a canary "{name}" already exists',
    hint: 'pick another name or path, or `hush canary delete` the old one first',
  },
  CANARY_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no canary named "{ref}"',
    hint: 'see `hush canary list`',
  },
} as const satisfies MessageTable;

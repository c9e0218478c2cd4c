import type { MessageTable } from '../message-template.js';

/** Messages raised under src/compat/ (ids are unique across every domain file). */
export const compatMessages = {
  AWS_ACCESS_KEY_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no AWS access key {accessKeyId}',
    hint: 'run `hush aws keys list` to see the keys that exist',
  },
} as const satisfies MessageTable;

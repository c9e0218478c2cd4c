import type { MessageTable } from '../message-template.js';

/** Messages raised under src/compat/ (ids are unique across every domain file). */
export const compatMessages = {
  AWS_ACCESS_KEY_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no AWS access key {accessKeyId}',
    hint: 'run `hush aws keys list` to see the keys that exist',
  },
  AWS_ACCESS_KEY_ROOT_POLICY: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'an AWS access key cannot carry the root policy (it would be a long-lived root credential)',
    hint: 'name the policies the application needs: `hush aws keys create --policy <name>`',
  },
} as const satisfies MessageTable;

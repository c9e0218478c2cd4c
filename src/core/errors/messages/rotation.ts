import type { MessageTable } from '../message-template.js';

/** Messages raised under src/rotation/ (ids are unique across every domain file). */
export const rotationMessages = {
  NO_ROTATION_POLICY: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no rotation policy for {kind} {target}',
    hint: 'set one with `hush rotate policy set`, or run `hush rotate policy list` to see them',
  },
  CONNECTION_SECRET_MUST_HOLD_ADMIN: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'the connection secret {connection} must hold the admin URL as its value or in a "url" field',
  },
  ROLE_PASSWORD_MUST_STRING: { code: 'HUSH_E_ROTATION_FAILED', template: 'a role password must be a string' },
  NO_ROTATION_POLICY_COVERS: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no rotation policy covers {path}',
    hint: 'set one with `hush rotate policy set --path {path} --interval 30d`',
  },
} as const satisfies MessageTable;

import { hushError } from '../core/errors/index.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Validate a role name (AppRole or JWT): 1-64 of a-z 0-9 . _ -, starting with a letter or digit. */
export function assertRoleName(name: string, kind: string): string {
  if (!NAME.test(name)) {
    throw hushError('ROLE_NAME_NOT_VALID', { kind, name: name.slice(0, 80) });
  }
  return name;
}

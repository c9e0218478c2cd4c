import { HushError } from '../core/errors/hush-error.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Validate a role name (AppRole or JWT): 1-64 of a-z 0-9 . _ -, starting with a letter or digit. */
export function assertRoleName(name: string, kind: string): string {
  if (!NAME.test(name)) {
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `${kind} role name "${name.slice(0, 80)}" is not valid; use 1-64 characters of a-z, 0-9, ".", "_", "-", starting with a letter or digit`,
    );
  }
  return name;
}

import { HushError } from '../core/errors/hush-error.js';

const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Throw HUSH_E_INVALID_INPUT unless `name` is a valid transit key name (safe in URLs, policy paths, storage keys). */
export function checkKeyName(name: string): string {
  if (!NAME.test(name) || name.includes('..')) {
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `transit key name "${name.slice(0, 40)}" is invalid: use 1-64 characters of a-z, 0-9, "_", "-", ".", starting with a letter or digit`,
    );
  }
  return name;
}

/** The policy path of a transit key: every operation on it is a capability on this path. */
export function keyPolicyPath(name: string): string {
  return `transit/keys/${name}`;
}

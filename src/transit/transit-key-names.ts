import { hushError } from '../core/errors/index.js';

const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Throw HUSH_E_INVALID_INPUT unless `name` is a valid transit key name (safe in URLs, policy paths, storage keys). */
export function checkKeyName(name: string): string {
  if (!NAME.test(name) || name.includes('..')) {
    throw hushError('TRANSIT_KEY_NAME_INVALID_USE', { name: name.slice(0, 40) });
  }
  return name;
}

/** The policy path of a transit key: every operation on it is a capability on this path. */
export function keyPolicyPath(name: string): string {
  return `transit/keys/${name}`;
}

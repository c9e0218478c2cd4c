import { HushError } from '../core/errors/hush-error.js';
import { formatPrefix, parsePrefix } from '../core/secrets/address.js';

/** A project/environment: the scope of one keyring. */
export interface KeyScope {
  readonly project: string;
  readonly environment: string;
  readonly text: string;
}

/** Parse `project/environment` exactly (keyrings exist per project/environment). */
export function parseScope(text: string): KeyScope {
  const prefix = parsePrefix(text);
  if (prefix.environment === undefined || prefix.path !== undefined) {
    throw new HushError(
      'HUSH_E_INVALID_ADDRESS',
      `expected project/environment (2 segments) for a keyring, found "${formatPrefix(prefix)}"; e.g. payments/prod`,
    );
  }
  return { project: prefix.project, environment: prefix.environment, text: formatPrefix(prefix) };
}

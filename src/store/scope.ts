import { hushError } from '../core/errors/index.js';
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
    throw hushError('EXPECTED_PROJECT_ENVIRONMENT_SEGMENTS_KEYRING', { prefix: formatPrefix(prefix) });
  }
  return { project: prefix.project, environment: prefix.environment, text: formatPrefix(prefix) };
}

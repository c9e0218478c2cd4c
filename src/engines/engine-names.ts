import { HushError } from '../core/errors/hush-error.js';

/** Engine and role names: short, lowercase, safe in URLs, policy paths, storage keys and lease ids. */
const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Throw HUSH_E_INVALID_INPUT unless `name` is a valid engine or role name (`what` names it in the message). */
export function checkName(name: string, what: 'engine' | 'role'): string {
  if (!NAME.test(name)) {
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `${what} name "${name.slice(0, 40)}" is invalid: use 1-32 characters of a-z, 0-9, "_", "-", starting with a letter or digit`,
    );
  }
  return name;
}

/** Split `NAME/ROLE` (CLI argument) into its two validated parts. */
export function splitEngineRole(text: string): { engine: string; role: string } {
  const parts = text.split('/');
  if (parts.length !== 2) {
    throw new HushError(
      'HUSH_E_USAGE',
      `expected ENGINE/ROLE (e.g. main/readonly), got "${text.slice(0, 80)}" with ${parts.length - 1} "/"`,
    );
  }
  return { engine: checkName(parts[0] ?? '', 'engine'), role: checkName(parts[1] ?? '', 'role') };
}

import { hushError } from '../core/errors/index.js';

/** Engine and role names: short, lowercase, safe in URLs, policy paths, storage keys and lease ids. */
const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Throw HUSH_E_INVALID_INPUT unless `name` is a valid engine or role name (`what` names it in the message). */
export function checkName(name: string, what: 'engine' | 'role'): string {
  if (!NAME.test(name)) {
    throw hushError('NAME_INVALID', { what, name: name.slice(0, 40) });
  }
  return name;
}

/** Split `NAME/ROLE` (CLI argument) into its two validated parts. */
export function splitEngineRole(text: string): { engine: string; role: string } {
  const parts = text.split('/');
  if (parts.length !== 2) {
    throw hushError('ENGINE_ROLE_MALFORMED', { text: text.slice(0, 80), value: parts.length - 1 });
  }
  return { engine: checkName(parts[0] ?? '', 'engine'), role: checkName(parts[1] ?? '', 'role') };
}

import type { MessageTable } from '../message-template.js';

/** Messages raised under src/fs/ (ids are unique across every domain file). */
export const fsMessages = {
  SYMBOLIC_LINK_HUSH_NOT_WRITE: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{path} is a symbolic link; Hush does not write through links: remove it or give the real path as {flag}',
  },
  PATH_ALREADY_EXISTS: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: '{path} already exists',
    hint: 'choose another {value} or pass --force to replace it',
  },
  CANNOT_WRITE_PATH_CODE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'cannot write {path} ({code})',
    hint: 'choose a writable path for {flag} (its directory must exist)',
  },
} as const satisfies MessageTable;

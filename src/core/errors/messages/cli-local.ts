import type { MessageTable } from '../message-template.js';

/** Messages raised under src/cli/local/ (ids are unique across every domain file). */
export const cliLocalMessages = {
  SEAL_NOT_AVAILABLE_LOCAL_MODE: {
    code: 'HUSH_E_CONFIG',
    template: 'the {kind} seal is not available in local mode',
    hint: 'use the server',
  },
  NO_STORE_WHERE: {
    code: 'HUSH_E_NOT_INITIALIZED',
    template: 'no store in {where}',
    hint: 'run `hush init`, or pass --data-dir DIR / set HUSH_DATA_DIR (or HUSH_ADDR for a server)',
  },
  CANNOT_READ_UNSEAL_FILE: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'cannot read the {what} {path} ({reason})',
    hint: 'check the path and its permissions',
  },
  CANNOT_READ_INPUT_FILE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'cannot read the {what} {path} ({reason})',
    hint: 'check the path and its permissions',
  },
} as const satisfies MessageTable;

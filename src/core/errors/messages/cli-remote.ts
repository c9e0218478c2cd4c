import type { MessageTable } from '../message-template.js';

/** Messages raised under src/cli/remote/ (ids are unique across every domain file). */
export const cliRemoteMessages = {
  HUSH_CACERT_CANNOT_READ: {
    code: 'HUSH_E_CONFIG',
    template: 'HUSH_CACERT={file} cannot be read ({code})',
    hint: 'point it at a PEM CA file',
  },
  HUSH_CACERT_HOLDS_NO_PEM: {
    code: 'HUSH_E_CONFIG',
    template: 'HUSH_CACERT={file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)',
  },
  HUSH_ADDR_NOT_URL: {
    code: 'HUSH_E_CONFIG',
    template: 'HUSH_ADDR is not a URL',
    hint: 'use e.g. https://hush.example:8200',
  },
  HUSH_ADDR_MUST_START_HTTPS: {
    code: 'HUSH_E_CONFIG',
    template: 'HUSH_ADDR must start with https:// or http://, got {protocol}',
  },
  HUSH_ADDR_MUST_NOT_HOLD: {
    code: 'HUSH_E_CONFIG',
    template: 'HUSH_ADDR must not hold a user or password',
    hint: 'give the server address only and the token in HUSH_TOKEN',
  },
  REMOTE_SERVER_ROTATES_ROOT_KEY: {
    code: 'HUSH_E_USAGE',
    template: 'a remote server rotates its root key under its own configured seal',
    hint: 'drop the seal option (or unset HUSH_ADDR to work locally)',
  },
  REMOTE_SERVER_ISSUES_IMPORT_WRAPPING: {
    code: 'HUSH_E_USAGE',
    template: 'a remote server issues import wrapping keys per project/environment',
    hint: 'pass --project and --env',
  },
  COMMAND_TALKS_HUSH_SERVER: {
    code: 'HUSH_E_USAGE',
    template: 'this command talks to a Hush server',
    hint: 'set HUSH_ADDR (e.g. https://hush.example:8200) and HUSH_TOKEN',
  },
} as const satisfies MessageTable;

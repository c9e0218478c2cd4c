import type { MessageTable } from '../message-template.js';

/** Messages raised under src/engines/ (ids are unique across every domain file). */
export const enginesMessages = {
  NAME_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{what} name "{name}" is invalid: use 1-32 characters of a-z, 0-9, "_", "-", starting with a letter or digit',
  },
  ENGINE_ROLE_MALFORMED: {
    code: 'HUSH_E_USAGE',
    template: 'expected ENGINE/ROLE (e.g. main/readonly), got "{text}" with {value} "/"',
  },
  NO_SECRETS_ENGINE: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no secrets engine "{name}"',
    hint: 'configure it with hush creds config postgres {name} --connection-url-file FILE',
  },
  NO_ROLE_ENGINE: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no role "{role}" on engine "{engine}"',
    hint: 'create it with hush creds role set {engine}/{role} --creation-sql-file FILE',
  },
  CONNECTION_URL_CHARACTERS_LIMIT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the connection URL is {length} characters; the limit is {maxUrlChars}',
  },
  CONNECTION_URL_NOT_URL: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the connection URL is not a URL',
    hint: 'write postgres://USER:PASSWORD@HOST:PORT/DATABASE in the file',
  },
  CONNECTION_URL_MUST_START_POSTGRES: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the connection URL must start with postgres://, got {protocol}//',
  },
  CONNECTION_URL_NAMES_NO_HOST: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the connection URL names no host',
  },
  CONNECTION_URL_SETS_QUERY_PARAMETER: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'the connection URL sets "{key}" as a query parameter, which would bypass the outbound allow-list',
    hint: 'write the host and port in the URL itself (postgres://USER:PASSWORD@HOST:PORT/DATABASE)',
  },
  TTL_MUST_NOT_EXCEED_MAX: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'ttl ({ttl}) must not exceed maxTtl ({maxTtl})',
  },
  ENGINE_CONFIGURED_AGAIN_WHILE_BEING: {
    code: 'HUSH_E_CAS_CONFLICT',
    template: 'engine {name} was configured again while it was being deleted',
    hint: 'delete it again to revoke what it issued since',
  },
  CANNOT_CONNECT_WHERE_CAUSE: {
    code: 'HUSH_E_UPSTREAM',
    template: 'cannot connect to {where}: {cause}',
    hint: "check that the database is up and the engine's connection URL (hush creds config postgres {engine})",
  },
  OPERATION_FAILED_ON: { code: 'HUSH_E_UPSTREAM', template: '{what} failed on {where}: {cause}' },
  PG_TEMPLATE_REFUSED: { code: 'HUSH_E_INVALID_INPUT', template: '{where} {why}' },
  PG_STATEMENT_REFUSED: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{where}, statement {value} ({s} ...), is refused: {why}; an admin may allow it with hush creds role set --allow-unlisted-statements (see docs/dynamic-credentials.md)',
  },
  PG_TEMPLATE_EMPTY: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{where} is empty',
    hint: 'write at least one statement',
  },
  PG_TEMPLATE_TOO_LARGE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{where} is {bytes} bytes; the limit is {maxTemplateBytes}',
  },
  PG_TEMPLATE_UNBALANCED_BRACES: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{where} has an unbalanced "{{" or "}}"',
    hint: 'write placeholders as {example}',
  },
  PG_TEMPLATE_MISSING_PLACEHOLDERS: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{where} must use {missing} (e.g. {example})',
  },
  PG_TEMPLATE_UNKNOWN_PLACEHOLDER: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{where} uses unknown placeholder {{{name}}}; allowed here: {allowed}',
  },
} as const satisfies MessageTable;

import type { MessageTable } from '../message-template.js';

/** Messages raised under src/inject/ (ids are unique across every domain file). */
export const injectMessages = {
  RENDER_WATCH_NEEDS_FILE: {
    code: 'HUSH_E_USAGE',
    template: 'render --watch writes a file: give --out FILE (not -)',
  },
  EXPECTS_DURATION_LIKE_500MS_5S: {
    code: 'HUSH_E_USAGE',
    template: '{flag} expects a duration like 500ms, 5s or 2m between {minMs} ms and 1 hour, found "{text}"',
  },
  MAPS_WHICH_NOT_VALID_ENVIRONMENT: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{source} maps to "{name}", which is not a valid environment variable name (letters, digits, _; not starting with a digit)',
    hint: 'rename it with --map {derived}=NAME or add --env-prefix',
  },
  MAPS_WHICH_MAKES_PROGRAMS_LOAD: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{source} maps to {name}, which makes programs load or run code; it is refused unless you name it yourself with --map {derived}={name}, or leave it out with --exclude (see docs/injection.md)',
  },
  ENV_VALUE_HOLDS_NUL: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{source} holds a NUL byte, which an environment variable cannot carry; leave it out with --exclude or store it as base64',
  },
  ENV_NAME_COLLISION: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{earlier} and {source} both map to {name}',
    hint: 'rename one with --map or narrow with --exclude',
  },
  MAP_MATCHED_NO_SECRET: {
    code: 'HUSH_E_USAGE',
    template: '--map {src}=... matched no secret',
    hint: 'use a derived name (e.g. DB_PASSWORD) or a relative path (db/password, db#user)',
  },
  MAP_EXPECTS_SRC_DST_E: {
    code: 'HUSH_E_USAGE',
    template: '--map expects SRC=DST (e.g. DB_PASSWORD=PGPASSWORD), found "{flag}"',
  },
  MAP_GIVEN_TWICE: { code: 'HUSH_E_USAGE', template: '--map {src} is given twice', hint: 'keep one' },
  NAMESPACE_MUST_RFC_LABEL_LOWER: {
    code: 'HUSH_E_USAGE',
    template:
      '--namespace must be an RFC 1123 label: lower-case letters, digits and - (start and end alphanumeric, <= 63, no dots), found "{name}"',
  },
  MUST_LOWER_CASE_LETTERS_DIGITS: {
    code: 'HUSH_E_USAGE',
    template:
      '{flag} must be lower-case letters, digits, - and . (start and end alphanumeric, <= 253), found "{name}"',
  },
  FIELDS_MUST_EXPAND_JSON_FOUND: {
    code: 'HUSH_E_USAGE',
    template: '--fields must be expand or json, found "{fields}"',
  },
  TEMPLATE_LINE_COL_WHAT: { code: 'HUSH_E_INVALID_INPUT', template: 'template {line}:{col}: {what}' },
  TEMPLATE_ENVIRONMENT_VARIABLE_LOOKS_LIKE: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'template {line}:{col}: environment variable {name} looks like a credential (HUSH_* or *TOKEN*, *SECRET*, *PASSWORD*, ...) and is not readable from a template',
    hint: 'store it in Hush and use {{ secret "PATH" }}',
  },
  TEMPLATE_ENVIRONMENT_VARIABLE_NOT_SET: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'template {line}:{col}: environment variable {name} is not set',
    hint: 'set it or remove the directive',
  },
  INJECT_HOLDS_SINGLE_VALUE_NOT_FIELDS: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{where}: {address} holds a single value, not fields',
    hint: 'drop "{field}"',
  },
  INJECT_NO_FIELD_FIELDS: {
    code: 'HUSH_E_NOT_FOUND',
    template: '{where}: {address} has no field "{field}"; its fields are: {keys}',
  },
  MAP_ENV_DOTENV_EXPORTS_KEEP: {
    code: 'HUSH_E_USAGE',
    template:
      '--map {src}={dst}: env and dotenv exports keep the stored keys, so --map only names a denylisted key as itself (--map {src}={src})',
    hint: 'to rename, use `hush run --map` or `hush export --format k8s-secret`',
  },
  MAP_MATCHED_NO_EXPORTED_KEY: {
    code: 'HUSH_E_USAGE',
    template: '--map {src}={src} matched no exported key',
    hint: 'check its spelling',
  },
  WOULD_EXPORTED_WHICH_MAKES_PROGRAMS: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{source} would be exported as {key}, which makes programs load or run code; it is refused unless you name it yourself with --map {key}={key} (see docs/injection.md)',
  },
} as const satisfies MessageTable;

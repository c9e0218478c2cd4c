import type { MessageTable } from '../message-template.js';

/** Messages raised under src/cli/io/ (ids are unique across every domain file). */
export const cliIoMessages = {
  FORMAT_MUST_ENV_DOTENV_JSON: {
    code: 'HUSH_E_USAGE',
    template: '--format must be env, dotenv, json or yaml, found "{flag}"',
  },
  FLAG_NOT_WHOLE_NUMBER: {
    code: 'HUSH_E_USAGE',
    template: '{flag} takes a whole number {range}, got "{text}"',
  },
  TAG_EXPECTS_NAME_VALUE_FOUND: {
    code: 'HUSH_E_USAGE',
    template: '--tag expects name=value, found "{text}"',
  },
  FILE_NOT_VALID_YAML_JSON: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{what} file {file} is not valid YAML or JSON{value}',
  },
  LINE_STDIN_OVER_BYTES: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'a line on stdin is over {maxLine} bytes',
    hint: 'give one share per line',
  },
  CANCELLED_NOTHING_SENT: { code: 'HUSH_E_USAGE', template: 'cancelled; nothing was sent' },
  INPUT_OVER_BYTE_LIMIT: {
    code: 'HUSH_E_TOO_LARGE',
    template: '{what} is over {limit} bytes, the limit',
    hint: 'store a smaller value (or a reference to where the large data lives)',
  },
  REFUSING_READ_SECRET_VALUE_COMMAND: {
    code: 'HUSH_E_USAGE',
    template:
      'refusing to read a secret value from the command line (it would land in shell history); pipe it on stdin, use --file FILE, or pass --allow-argv',
  },
  GIVE_VALUE_ONE_WAY_KEY: {
    code: 'HUSH_E_USAGE',
    template: 'give the value one way: KEY=VALUE pairs, a value, or --file, not several',
  },
  EXPECTED_ONE_VALUE_FOUND_ARGUMENTS: {
    code: 'HUSH_E_USAGE',
    template: 'expected one value, found {length} arguments',
  },
  PUT_NEEDS_VALUE: {
    code: 'HUSH_E_USAGE',
    template: 'no value given; pipe it on stdin (`... | hush put ADDR`), use --file FILE, or KEY=VALUE pairs',
  },
  FIELD_GIVEN_TWICE: { code: 'HUSH_E_USAGE', template: 'field {key} is given twice' },
  ONLY_ONE_FIELD_CAN_READ: {
    code: 'HUSH_E_USAGE',
    template: 'only one field can read standard input (KEY=-)',
  },
  JSON_VALUE_VALUE_NOT_VALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '--json-value: the value is not valid JSON',
  },
  JSON_VALUE_EXPECTED_JSON_OBJECT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '--json-value: expected a JSON object like {"user":"app","password":"..."}',
  },
  PATH_LENGTH_BYTES_LIMIT_MAX: {
    code: 'HUSH_E_TOO_LARGE',
    template: '{path} is {length} bytes; the limit is {maxBytes}',
  },
} as const satisfies MessageTable;

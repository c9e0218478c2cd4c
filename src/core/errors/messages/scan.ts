import type { MessageTable } from '../message-template.js';

/** Messages raised under src/scan/ (ids are unique across every domain file). */
export const scanMessages = {
  RULE_CHARACTER_REGEX_REPOSITORY_CONFIG: {
    code: 'HUSH_E_CONFIG',
    template:
      '{source}: rule "{id}" has a {length}-character regex; a repository config allows {regexLength}',
  },
  SOURCE_RULE_ID_REFUSED_ERROR: {
    code: 'HUSH_E_CONFIG',
    template: '{source}: rule "{id}" is refused: {error}',
  },
  RULE_BAD_REGEX: {
    code: 'HUSH_E_CONFIG',
    template: '{source}: rule "{id}" has a bad regex ({why})',
    hint: 'fix its "regex"',
  },
  RULE_NON_ASCII_KEYWORD_KEYWORDS: {
    code: 'HUSH_E_CONFIG',
    template: '{source}: rule "{id}" has a non-ASCII keyword; keywords must be ASCII',
  },
  SOURCE_NOT_VALID_VALUE: { code: 'HUSH_E_CONFIG', template: '{source} is not valid {value}' },
  SOURCE_WHERE_MESSAGE: { code: 'HUSH_E_CONFIG', template: '{source}: {where}: {message}' },
  RULE_ID_APPEARS_TWICE: { code: 'HUSH_E_CONFIG', template: '{source}: rule id "{id}" appears twice' },
  RULES_REPOSITORY_CONFIG_ALLOWS: {
    code: 'HUSH_E_CONFIG',
    template: '{source}: {length} rules; a repository config allows {rules}',
  },
  EXCLUDES_REPOSITORY_CONFIG_ALLOWS: {
    code: 'HUSH_E_CONFIG',
    template: '{source}: {length} excludes; a repository config allows {excludes}',
  },
  BASELINE_NOT_JSON_REGENERATE_WRITE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'baseline {source} is not JSON; regenerate it with --write-baseline',
  },
  BASELINE_NO_FINDINGS_ARRAY_REGENERATE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'baseline {source} has no "findings" array; regenerate it with --write-baseline',
  },
  BASELINE_ENTRY_NEEDS_RULE_ID: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'baseline {source}: entry {i} needs a ruleId and a 64-hex fingerprint; regenerate it with --write-baseline',
  },
  NO_SCAN_CONFIG: { code: 'HUSH_E_NOT_FOUND', template: 'no scan config at {file}', hint: 'check --config' },
  CHOOSE_ONE_GIT_STAGED_RANGE: {
    code: 'HUSH_E_USAGE',
    template: 'choose one of --git, --staged, --range, --pre-receive (got several)',
  },
  SCAN_BASELINE_MISSING: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no baseline at {baseline}',
    hint: 'create one with --write-baseline',
  },
  NO_FILE_DIRECTORY: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no file or directory at {root}',
    hint: 'check the path',
  },
  COULD_NOT_RUN_GIT: {
    code: 'HUSH_E_USAGE',
    template: 'could not run git',
    hint: 'install git or put it on PATH',
  },
  GIT_COMMAND_FAILED: { code: 'HUSH_E_USAGE', template: 'git {args} failed in {cwd} ({value})' },
  PRE_RECEIVE_LINE_MALFORMED: {
    code: 'HUSH_E_USAGE',
    template: 'pre-receive input line {value} is not "<old> <new> <ref>"',
  },
  RANGE_NEEDS_B_B_WHERE: {
    code: 'HUSH_E_USAGE',
    template:
      '--range needs A..B (or A...B) where A and B are commits or refs such as main, HEAD~3, v1.2 or a commit id; got {range}',
  },
} as const satisfies MessageTable;

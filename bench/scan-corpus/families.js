import { CODE_FILES, FRAMEWORK_FILES } from './family-apps.js';
import { HUSH_FILES } from './family-hush.js';
import { INFRA_FILES } from './family-infra.js';
import { FAMILY_NEGATIVES } from './family-negatives.js';
import { HASH_FILES, TOOL_FILES } from './family-stores.js';

/**
 * The credential families of issue 16 (password hashes, tool credential files, framework keys, passwords in code and
 * commands, Hush's own secrets) and their hard negatives. Each builder takes the family values and a copy number.
 */
export const FAMILY_FILES = [
  ...HASH_FILES,
  ...TOOL_FILES,
  ...INFRA_FILES,
  ...FRAMEWORK_FILES,
  ...CODE_FILES,
  ...HUSH_FILES,
  ...FAMILY_NEGATIVES,
];

import type { Rule } from '../rule.js';
import { credentialFileRules } from './credential-file-rules.js';
import { terraformStateRules } from './terraform-state.js';

/** Credential files of common tools, in their native (sometimes obfuscated) formats. */
export const credentialFilesRules: readonly Rule[] = [...credentialFileRules, ...terraformStateRules];

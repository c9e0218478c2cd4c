import { hushError } from '../errors/index.js';

/**
 * Which values are encrypted, by key names on the path (SOPS's rules; at most one is set). With none set, every value
 * is encrypted except under a key ending in `_unencrypted`.
 */
export interface CryptRules {
  readonly unencrypted_suffix?: string;
  readonly encrypted_suffix?: string;
  readonly unencrypted_regex?: string;
  readonly encrypted_regex?: string;
}

/** The rule SOPS applies when a file names none. */
export const DEFAULT_UNENCRYPTED_SUFFIX = '_unencrypted';

/** The rule keys as they appear in the metadata block, in SOPS's spelling. */
export const RULE_KEYS = [
  'unencrypted_suffix',
  'encrypted_suffix',
  'unencrypted_regex',
  'encrypted_regex',
] as const;

/** Check that at most one rule is set and the regexes compile; returns the rules with the default filled in. */
export function normaliseRules(rules: CryptRules): CryptRules {
  const set = RULE_KEYS.filter((k) => rules[k] !== undefined);
  if (set.length > 1) throw hushError('CRYPT_RULES_CONFLICT', { rules: set.join(', ') });
  for (const k of ['unencrypted_regex', 'encrypted_regex'] as const) {
    const re = rules[k];
    if (re === undefined) continue;
    try {
      new RegExp(re);
    } catch {
      throw hushError('CRYPT_RULE_REGEX_INVALID', { rule: k });
    }
  }
  return set.length === 0
    ? { unencrypted_suffix: DEFAULT_UNENCRYPTED_SUFFIX }
    : { [set[0] as string]: rules[set[0] as keyof CryptRules] };
}

/** A predicate over key paths: true when the value at that path is (to be) encrypted. */
export function encryptionPredicate(rules: CryptRules): (path: readonly string[]) => boolean {
  if (rules.encrypted_regex !== undefined) {
    const re = new RegExp(rules.encrypted_regex);
    return (path) => path.some((k) => re.test(k));
  }
  if (rules.encrypted_suffix !== undefined) {
    const suffix = rules.encrypted_suffix;
    return (path) => path.some((k) => k.endsWith(suffix));
  }
  if (rules.unencrypted_regex !== undefined) {
    const re = new RegExp(rules.unencrypted_regex);
    return (path) => !path.some((k) => re.test(k));
  }
  const suffix = rules.unencrypted_suffix ?? DEFAULT_UNENCRYPTED_SUFFIX;
  return (path) => !path.some((k) => k.endsWith(suffix));
}

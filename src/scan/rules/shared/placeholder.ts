/** Words that mark a value as an example or a stand-in rather than a credential. */
const PLACEHOLDER_WORDS =
  /example|sample|dummy|placeholder|change[_-]?(?:me|this|it)|your[_-]|yourpass|redacted|insert|replace|fake|mock|foobar|lorem|secret123|password123|not[_-]?a[_-]?real|todo|tbd/i;

/**
 * Templating, variable references, lookups and ciphertexts (SOPS `ENC[...]`, ansible-vault): the value comes from
 * elsewhere or is encrypted, nothing is leaked here.
 */
const REFERENCE =
  /^\$|\$\{|\{\{|\}\}|^\{[^}]*\}|^__\w+__$|#\{|%\(|%[A-Z_]+%|^<.*>$|^\[.*\]$|process\.env|os\.environ|getenv|env\(|ENV\[|secrets\.|vault:|ref\+|^@|\(\)?$|^ENC\[|^\$ANSIBLE_VAULT;/i;

/** True for runs like `xxxxxx`, `000000`, `******` or ascending `abcdef` / `123456`. */
function hasFillerRun(value: string): boolean {
  if (/(.)\1{5,}/.test(value)) return true;
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}

/**
 * True when a candidate value is obviously not a live credential: a placeholder word, a template or variable
 * reference, filler runs, or masking stars.
 */
export function looksPlaceholder(value: string): boolean {
  return (
    PLACEHOLDER_WORDS.test(value) || REFERENCE.test(value) || hasFillerRun(value) || value.includes('***')
  );
}

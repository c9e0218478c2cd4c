import { hushError } from '../../core/errors/index.js';

// Hush writes `hush:v<N>:<base64>`, Vault `vault:v<N>:<base64>`: the version and the base64 body are the same bytes,
// only the word before `:v` differs, so the mapping is a prefix swap and nothing else (no re-encoding, no guessing).
const VAULT_FORM = /^vault:v([1-9][0-9]{0,8}):/;
const HUSH_FORM = /^hush:v([1-9][0-9]{0,8}):/;

/**
 * A Vault transit string (`vault:v<N>:...`) as the Hush transit engine reads it (`hush:v<N>:...`). Anything else,
 * a `hush:v` string included, is refused: the Vault API speaks only Vault's form. The text is never echoed.
 *
 * @example
 * hushTransitString('vault:v2:AAAA', 'ciphertext'); // 'hush:v2:AAAA'
 */
export function hushTransitString(text: string, what: string): string {
  const m = VAULT_FORM.exec(text);
  if (!m) {
    throw hushError('NOT_FORM_VAULT_V_VERSION', { what, length: text.length });
  }
  return `hush:v${m[1]}:${text.slice(m[0].length)}`;
}

/**
 * A Hush transit string (`hush:v<N>:...`) in Vault's form (`vault:v<N>:...`). The engine only ever returns the Hush
 * form, so anything else is a programming error.
 *
 * @example
 * vaultTransitString('hush:v1:AAAA'); // 'vault:v1:AAAA'
 */
export function vaultTransitString(text: string): string {
  const m = HUSH_FORM.exec(text);
  if (!m) throw new TypeError('the transit engine returned a string that is not hush:v<N>:...');
  return `vault:v${m[1]}:${text.slice(m[0].length)}`;
}

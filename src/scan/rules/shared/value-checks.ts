import { looksPlaceholder } from './placeholder.js';

/** Passwords that appear in tutorials and default configs far more often than in real deployments. */
const WEAK_DEFAULTS = new Set([
  'password',
  'passwd',
  'pass',
  'secret',
  'admin',
  'root',
  'user',
  'username',
  'guest',
  'test',
  'postgres',
  'mysql',
  'default',
  'pwd',
  'token',
  'apikey',
  'none',
  'null',
  'true',
  'false',
  'undefined',
  'nil',
]);

/** Decode a base64 value when it is plausibly one (k8s Secret `data:`), so placeholders inside are seen too. */
function decodedIfBase64(value: string): string | undefined {
  if (value.length < 8 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}

/**
 * True when a credential value is a stand-in: placeholder words, template or variable references, default words,
 * masked stars, command-line option names, or the base64 of any of those.
 */
export function isPlaceholderValue(value: string): boolean {
  const lower = value.toLowerCase();
  if (WEAK_DEFAULTS.has(lower) || looksPlaceholder(value) || /^[*.x#-]+$/i.test(value)) return true;
  // A command-line option name (`--password-file`) names where a secret comes from; it is not one.
  if (/^--[a-z][a-z0-9-]*$/.test(value)) return true;
  const decoded = decodedIfBase64(value);
  return decoded !== undefined && (WEAK_DEFAULTS.has(decoded.toLowerCase()) || looksPlaceholder(decoded));
}

/**
 * True when a setting's value says the credential is elsewhere or unset: a stand-in (see isPlaceholderValue), a flag
 * word (`yes`, `off`, `null`), a number (a port, a length), or an ansible-vault reference.
 */
export function isStandInSetting(value: string): boolean {
  return (
    isPlaceholderValue(value) ||
    /^(?:yes|no|on|off|true|false|none|null|nil|empty|\d{1,6}|!vault|\$ANSIBLE_VAULT.*)$/i.test(value)
  );
}

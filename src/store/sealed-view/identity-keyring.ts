import type { KeyringSpec } from './sealed-subkeys.js';

/**
 * The identity keyring lives beside the project keyrings (`sys/keyring/@identity/v1`), sealed under the root key, so
 * `rotateRoot` re-seals it with every other keyring and tokens and roles survive a root rotation. Several views share
 * it: identity (tokens, policies, logins), engines and leases, canaries (a canary token's lookup id is the HMAC the
 * token service would look it up by) and the audit key and heads; each opens its own prefixes.
 */
export const IDENTITY_KEYRING = { project: '@identity', environment: 'v1' } as const;

/** The keyring and subkey labels of every view over the identity keyring (the labels stored rows were sealed with). */
export const IDENTITY_SUBKEYS: KeyringSpec = {
  keyring: IDENTITY_KEYRING,
  info: { lookup: 'hush identity lookup-hmac v1', record: 'hush identity record-aead v1' },
};

/** The audit HMAC key and the stored audit heads (`sys/audit/`), read uncached. */
export const AUDIT_VIEW = {
  ...IDENTITY_SUBKEYS,
  name: 'audit',
  prefixes: ['sys/audit/'],
  cacheSize: 0,
} as const;

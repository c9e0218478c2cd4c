import type { SealedViewSpec } from '../store/sealed-view/index.js';

/**
 * The CA's records, private keys included, are sealed under their own keyring beside the project keyrings
 * (`sys/keyring/@pki/v1`), as transit's are: a root rotation re-seals it with the others, the keys are never in
 * storage in the clear, and `@` cannot occur in a project name.
 */
export const PKI_KEYRING = { project: '@pki', environment: 'v1' } as const;

/** Storage keys: role names and serials are visible to storage (like transit key names); everything else is sealed. */
export const pkiKeys = {
  ca: 'pki/ca',
  crl: 'pki/crl',
  revoked: 'pki/revoked',
  role: (name: string) => `pki/roles/${name}`,
  issued: (serialHex: string) => `pki/issued/${serialHex}`,
  ROLES: 'pki/roles/',
  ISSUED: 'pki/issued/',
} as const;

/** The CA's view: sealed under the `@pki` keyring, below `pki/`. */
export const PKI_VIEW: SealedViewSpec = {
  name: 'pki',
  prefixes: ['pki/'],
  keyring: PKI_KEYRING,
  info: { lookup: 'hush pki lookup v1', record: 'hush pki record v1' },
};

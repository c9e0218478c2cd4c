import {
  type AddressPrefix,
  formatAddress,
  formatPrefix,
  type SecretAddress,
} from '../core/secrets/address.js';

/**
 * The storage layout. Storage sees these keys (so paths are visible to it) and opaque bytes; everything else is
 * encrypted. Segments never contain `#` or `/`, so `path#version` and `prefix/` cannot collide across secrets.
 */
export const SEAL_KEY = 'sys/seal';
/** Persistent lockdown flag written by `hush seal`. */
export const SEALED_FLAG_KEY = 'sys/sealed';
/** Prefix of every sealed keyring. */
export const KEYRING_PREFIX = 'sys/keyring/';
/** Prefix of every metadata row. */
export const META_PREFIX = 'meta/';

/** Storage key of a project/environment keyring. */
export function keyringKey(project: string, environment: string): string {
  return `${KEYRING_PREFIX}${project}/${environment}`;
}

/** Storage key of a secret's metadata. */
export function metaKey(address: SecretAddress): string {
  return `${META_PREFIX}${formatAddress(address)}`;
}

/** Storage key of one version's sealed value. */
export function dataKey(address: SecretAddress, version: number): string {
  return `data/${formatAddress(address)}#${version}`;
}

/** Storage prefix of the metadata rows below a prefix (empty prefix text = everything). */
export function metaPrefixKey(prefix: AddressPrefix | undefined): string {
  return prefix ? `${META_PREFIX}${formatPrefix(prefix)}/` : META_PREFIX;
}

/** The address text of a metadata row key. */
export function addressTextOfMetaKey(key: string): string {
  return key.slice(META_PREFIX.length);
}

/** Prefix of version tombstones (written by delete/destroy, so a row put back after them is detected). */
export const TOMBSTONE_PREFIX = 'gone/';

/** Storage key of the tombstone of one deleted or destroyed version. */
export function tombstoneKey(address: SecretAddress, version: number): string {
  return `${TOMBSTONE_PREFIX}${formatAddress(address)}#${version}`;
}

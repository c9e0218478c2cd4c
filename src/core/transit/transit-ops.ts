import type { ExternalSign } from '../crypto/external-signer.js';
import { hushError } from '../errors/index.js';
import { type CipherBinding, decryptBytes, encryptBytes } from './cipher.js';
import { formatVersioned, parseVersioned } from './ciphertext.js';
import { type PreparedVersion, prepareHsmVersion, prepareVersion } from './key-material.js';
import { requireUse } from './key-types.js';
import {
  hmacBytes,
  type SignOptions,
  signBytes,
  type TransitHash,
  verifyBytes,
  verifyHmacBytes,
} from './signature.js';
import {
  checkDecryptionVersion,
  encryptionVersion,
  type TransitKey,
  type TransitKeyVersion,
} from './transit-keyring.js';

// Parsed key versions, keyed by the stored version object: the service's record cache hands back the same frozen
// object while the key is unchanged, so each version's material is parsed once, and a changed key misses.
const prepared = new WeakMap<TransitKeyVersion, PreparedVersion>();

/** The parsed material of `version` of `key` (HUSH_E_TRANSIT_VERSION when trimmed or never made). */
export function versionOf(key: TransitKey, version: number): PreparedVersion {
  const stored = key.versions[String(version)];
  if (!stored) {
    throw hushError('KEY_NO_VERSION_VERSIONS_EXIST', {
      name: key.name,
      version,
      minAvailableVersion: key.minAvailableVersion,
      latestVersion: key.latestVersion,
    });
  }
  let v = prepared.get(stored);
  if (!v) {
    v =
      'hsm' in stored
        ? prepareHsmVersion(key.type, stored.hsm, Buffer.from(stored.publicKey, 'base64'))
        : prepareVersion(key.type, Buffer.from(stored.material, 'base64'));
    prepared.set(stored, v);
  }
  return v;
}

/** Encrypt `plaintext` to `hush:v<N>:...` with the latest (or an allowed `keyVersion`) version of `key`. */
export function encryptWith(
  key: TransitKey,
  plaintext: Uint8Array,
  bind: CipherBinding = {},
  keyVersion?: number,
): string {
  requireUse(key.type, 'encrypt', key.name);
  const version = encryptionVersion(key, keyVersion);
  return formatVersioned(version, encryptBytes(versionOf(key, version), key.derived, plaintext, bind));
}

/** Decrypt a `hush:v<N>:...` ciphertext of `key`. */
export function decryptWith(key: TransitKey, ciphertext: string, bind: CipherBinding = {}): Buffer {
  requireUse(key.type, 'encrypt', key.name);
  const parsed = parseVersioned(ciphertext, 'ciphertext');
  checkDecryptionVersion(key, parsed.version);
  return decryptBytes(versionOf(key, parsed.version), key.derived, parsed.bytes, bind);
}

/** Re-encrypt a ciphertext under the latest version without handing out the plaintext. */
export function rewrapWith(
  key: TransitKey,
  ciphertext: string,
  bind: CipherBinding = {},
  keyVersion?: number,
): string {
  const plain = decryptWith(key, ciphertext, bind);
  try {
    return encryptWith(key, plain, bind, keyVersion);
  } finally {
    plain.fill(0);
  }
}

/** Sign `input` to `hush:v<N>:<base64 signature>`; `external` signs versions an HSM holds. */
export function signWith(
  key: TransitKey,
  input: Uint8Array,
  opts: SignOptions = {},
  keyVersion?: number,
  external?: ExternalSign,
): string {
  requireUse(key.type, 'sign', key.name);
  const version = encryptionVersion(key, keyVersion);
  return formatVersioned(version, signBytes(versionOf(key, version), input, opts, external));
}

/** Whether `signature` (`hush:v<N>:...`) is a valid signature of `input` by `key`. */
export function verifyWith(
  key: TransitKey,
  input: Uint8Array,
  signature: string,
  opts: SignOptions = {},
): boolean {
  requireUse(key.type, 'sign', key.name);
  const parsed = parseVersioned(signature, 'signature');
  checkDecryptionVersion(key, parsed.version);
  return verifyBytes(versionOf(key, parsed.version), input, parsed.bytes, opts);
}

/** HMAC `input` to `hush:v<N>:<base64 mac>`. */
export function hmacWith(key: TransitKey, input: Uint8Array, hash: TransitHash, keyVersion?: number): string {
  requireUse(key.type, 'hmac', key.name);
  const version = encryptionVersion(key, keyVersion);
  return formatVersioned(version, hmacBytes(versionOf(key, version), hash, input));
}

/** Whether `mac` (`hush:v<N>:...`) is the HMAC of `input` under `key` (constant-time). */
export function verifyHmacWith(key: TransitKey, input: Uint8Array, mac: string, hash: TransitHash): boolean {
  requireUse(key.type, 'hmac', key.name);
  const parsed = parseVersioned(mac, 'hmac');
  checkDecryptionVersion(key, parsed.version);
  return verifyHmacBytes(versionOf(key, parsed.version), hash, input, parsed.bytes);
}

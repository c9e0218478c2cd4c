import { type AadFields, encodeAad } from './aad.js';
import { openAead, sealAead } from './aead.js';
import { type Keyring, keyVersion } from './keyring.js';
import { generateKey, wipe } from './random.js';

/** Where a secret version lives; bound into the AAD of both its wrapped data key and its value. */
export interface SecretLocation {
  readonly project: string;
  readonly environment: string;
  readonly path: string;
  readonly version: number;
}

/** A secret version at rest: the value under a per-version data key, the data key under a KEK version. */
export interface SealedValue {
  readonly kekVersion: number;
  readonly wrappedKey: Buffer;
  readonly ciphertext: Buffer;
}

function aadFor(purpose: string, loc: SecretLocation, kekVersion: number): AadFields {
  return {
    purpose,
    project: loc.project,
    environment: loc.environment,
    path: loc.path,
    version: loc.version,
    kek: `${loc.project}/${loc.environment}#${kekVersion}`,
  };
}

/**
 * Envelope-encrypt one secret version: a fresh 256-bit data key encrypts the value; the current KEK wraps the
 * data key. Both ciphertexts are bound to the location, so moving either to another row fails to open.
 */
export function encryptValue(ring: Keyring, loc: SecretLocation, plaintext: Uint8Array): SealedValue {
  const kek = keyVersion(ring);
  const dataKey = generateKey();
  try {
    return sealUnder(kek, dataKey, loc, plaintext);
  } finally {
    wipe(dataKey);
  }
}

/** Encrypt `plaintext` under `dataKey` and wrap `dataKey` under `kek`, both bound to `loc` and the KEK version. */
function sealUnder(
  kek: ReturnType<typeof keyVersion>,
  dataKey: Uint8Array,
  loc: SecretLocation,
  plaintext: Uint8Array,
): SealedValue {
  return {
    kekVersion: kek.version,
    wrappedKey: sealAead(kek.key, dataKey, aadFor('data-key', loc, kek.version)),
    ciphertext: sealAead(dataKey, plaintext, aadFor('value', loc, kek.version)),
  };
}

/** Open a sealed version; raises HUSH_E_INTEGRITY on any tampering or misplacement. */
export function decryptValue(ring: Keyring, loc: SecretLocation, sealed: SealedValue): Buffer {
  const dataKey = unwrapDataKey(ring, loc, sealed);
  try {
    return openValue(dataKey, loc, sealed);
  } finally {
    wipe(dataKey);
  }
}

/** Unwrap a version's data key (the caller wipes it); HUSH_E_INTEGRITY if the wrapped key was moved or altered. */
export function unwrapDataKey(ring: Keyring, loc: SecretLocation, sealed: SealedValue): Buffer {
  const kek = keyVersion(ring, sealed.kekVersion);
  return openAead(
    kek.key,
    sealed.wrappedKey,
    aadFor('data-key', loc, kek.version),
    `data key of ${where(loc)}`,
  );
}

/**
 * The encoded AAD of a version's value ciphertext written under KEK version `kekVersion`. It depends only on
 * those inputs, so a caller may keep it (next to the unwrapped data key) and pass it to {@link openValue}.
 */
export function valueAad(loc: SecretLocation, kekVersion: number): Buffer {
  return encodeAad(aadFor('value', loc, kekVersion));
}

/**
 * Open a version's value with its already unwrapped data key. `aad` (optional) must be
 * `valueAad(loc, sealed.kekVersion)`; the tag check still binds the ciphertext to it.
 */
export function openValue(
  dataKey: Uint8Array,
  loc: SecretLocation,
  sealed: SealedValue,
  aad: Uint8Array = valueAad(loc, sealed.kekVersion),
): Buffer {
  return openAead(dataKey, sealed.ciphertext, aad, () => `value of ${where(loc)}`);
}

function where(loc: SecretLocation): string {
  return `${loc.project}/${loc.environment}/${loc.path}@v${loc.version}`;
}

/** Re-wrap a data key under the keyring's current KEK without touching the value ciphertext (online rewrap). */
export function rewrapValue(ring: Keyring, loc: SecretLocation, sealed: SealedValue): SealedValue {
  const current = keyVersion(ring);
  if (sealed.kekVersion === current.version) return sealed;
  const old = keyVersion(ring, sealed.kekVersion);
  const where = `${loc.project}/${loc.environment}/${loc.path}@v${loc.version}`;
  const dataKey = openAead(
    old.key,
    sealed.wrappedKey,
    aadFor('data-key', loc, old.version),
    `data key of ${where}`,
  );
  try {
    // The value's AAD names the KEK version it was first written under, so re-seal the value too: a value
    // copied between KEK generations must not open. Cost is one extra GCM pass per version during rewrap.
    const plain = openAead(
      dataKey,
      sealed.ciphertext,
      aadFor('value', loc, old.version),
      `value of ${where}`,
    );
    try {
      return sealUnder(current, dataKey, loc, plain);
    } finally {
      wipe(plain);
    }
  } finally {
    wipe(dataKey);
  }
}

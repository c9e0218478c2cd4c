import { hkdfSync, randomBytes } from 'node:crypto';
import { openAead, sealAead } from '../core/crypto/aead.js';
import { generateKey, KEY_BYTES, wipe } from '../core/crypto/random.js';
import { keyAad, SNAPSHOT_KDF_INFO } from './snapshot-format.js';

/** The key that wraps a snapshot key: HKDF-SHA256 of the root key with the snapshot's own random salt. */
function wrappingKey(rootKey: Uint8Array, salt: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', rootKey, salt, SNAPSHOT_KDF_INFO, KEY_BYTES));
}

/** A fresh random snapshot key and HKDF salt (one pair per snapshot). */
export function newSnapshotKey(): { key: Buffer; salt: Buffer } {
  return { key: generateKey(), salt: randomBytes(32) };
}

/** Wrap the snapshot key under a key derived from the root key, bound to the header digest. */
export function wrapSnapshotKey(
  rootKey: Uint8Array,
  salt: Uint8Array,
  key: Uint8Array,
  digest: string,
): Buffer {
  const kek = wrappingKey(rootKey, salt);
  try {
    return sealAead(kek, key, keyAad(digest));
  } finally {
    wipe(kek);
  }
}

/** Unwrap a snapshot key; a changed header or a foreign root key is HUSH_E_INTEGRITY naming the file. */
export function unwrapSnapshotKey(
  rootKey: Uint8Array,
  salt: Uint8Array,
  wrapped: Uint8Array,
  digest: string,
  file: string,
): Buffer {
  const kek = wrappingKey(rootKey, salt);
  try {
    return openAead(kek, wrapped, keyAad(digest), `the header and key of snapshot ${file}`);
  } finally {
    wipe(kek);
  }
}

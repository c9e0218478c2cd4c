import { hushError } from '../errors/index.js';
import { openAead, sealAead } from './aead.js';
import { generateKey, KEY_BYTES, wipe } from './random.js';

/** One version of a key-encryption key. */
export interface KeyVersion {
  readonly version: number;
  readonly key: Buffer;
  readonly createdAt: string;
}

/**
 * A versioned set of key-encryption keys (KEKs) for one scope (a project/environment). New data keys are wrapped by
 * the current version; older versions stay so that existing data keys can still be unwrapped until rewrapped.
 */
export interface Keyring {
  readonly scope: string;
  readonly current: number;
  readonly versions: readonly KeyVersion[];
}

/** A new keyring with a single fresh version 1. */
export function createKeyring(scope: string, now: Date): Keyring {
  return { scope, current: 1, versions: [{ version: 1, key: generateKey(), createdAt: now.toISOString() }] };
}

/** A keyring with one more version, which becomes current. Old versions are kept for unwrapping. */
export function rotateKeyring(ring: Keyring, now: Date): Keyring {
  const version = Math.max(...ring.versions.map((v) => v.version)) + 1;
  return {
    scope: ring.scope,
    current: version,
    versions: [...ring.versions, { version, key: generateKey(), createdAt: now.toISOString() }],
  };
}

/** The KEK of a given version (the current one by default). */
export function keyVersion(ring: Keyring, version = ring.current): KeyVersion {
  const found = ring.versions.find((v) => v.version === version);
  if (!found) {
    throw hushError('KEYRING_NO_KEY_VERSION_DATA', {
      scope: ring.scope,
      version,
      versions: ring.versions.map((v) => v.version).join(', '),
    });
  }
  return found;
}

/** A keyring without the versions below `minVersion` (after a full rewrap nothing references them). */
export function pruneKeyring(ring: Keyring, minVersion: number): Keyring {
  // Pruning the current version would destroy the key every new write uses: refuse rather than lose data.
  if (minVersion > ring.current) {
    throw new RangeError(
      `cannot prune keyring ${ring.scope} below v${minVersion}: v${ring.current} is current`,
    );
  }
  for (const v of ring.versions) if (v.version < minVersion) wipe(v.key);
  return { ...ring, versions: ring.versions.filter((v) => v.version >= minVersion) };
}

/** Encrypt a keyring under the root key, bound to its scope. */
export function sealKeyring(rootKey: Uint8Array, ring: Keyring): Buffer {
  const json = encodeKeyring(ring);
  try {
    return sealAead(rootKey, json, { purpose: 'keyring', scope: ring.scope });
  } finally {
    wipe(json);
  }
}

/** Decrypt a keyring sealed by {@link sealKeyring}; raises HUSH_E_INTEGRITY if tampered or under another root key. */
export function openKeyring(rootKey: Uint8Array, scope: string, sealed: Uint8Array): Keyring {
  return decodeKeyring(scope, openAead(rootKey, sealed, { purpose: 'keyring', scope }, `keyring ${scope}`));
}

/** The plaintext (JSON bytes, key material inside: wipe after use) of a keyring, for sealing under any key. */
export function encodeKeyring(ring: Keyring): Buffer {
  const json = JSON.stringify({
    scope: ring.scope,
    current: ring.current,
    versions: ring.versions.map((v) => ({
      version: v.version,
      key: v.key.toString('base64'),
      createdAt: v.createdAt,
    })),
  });
  return Buffer.from(json, 'utf8');
}

/** Parse (and wipe) keyring plaintext made by {@link encodeKeyring}; malformed -> HUSH_E_INTEGRITY. */
export function decodeKeyring(scope: string, plain: Buffer): Keyring {
  try {
    const raw = JSON.parse(plain.toString('utf8')) as {
      scope: string;
      current: number;
      versions: { version: number; key: string; createdAt: string }[];
    };
    const versions = raw.versions.map((v) => ({
      version: v.version,
      key: Buffer.from(v.key, 'base64'),
      createdAt: v.createdAt,
    }));
    const bad =
      raw.scope !== scope ||
      versions.some((v) => v.key.length !== KEY_BYTES) ||
      !versions.some((v) => v.version === raw.current);
    if (bad) throw new Error('shape');
    return { scope, current: raw.current, versions };
  } catch {
    // Only reachable if a writer sealed a malformed keyring; still a coded error, never a bare SyntaxError.
    throw hushError('KEYRING_DECRYPTED_BUT_MALFORMED', { scope });
  } finally {
    wipe(plain);
  }
}

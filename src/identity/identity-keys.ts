import { hkdfSync } from 'node:crypto';
import { keyVersion } from '../core/crypto/keyring.js';
import { wipe } from '../core/crypto/random.js';
import type { Barrier, OpenedKeyring } from '../store/barrier.js';

/**
 * The identity keyring lives beside the project keyrings (`sys/keyring/@identity/v1`), sealed under the root key.
 * Keeping it there, rather than deriving straight from the root key, means `rotateRoot` re-seals it with every other
 * keyring, so tokens and roles survive a root rotation. `@` cannot occur in a secret address, so no project can
 * collide with it or rotate it through the secrets API.
 */
export const IDENTITY_KEYRING = { project: '@identity', environment: 'v1' } as const;

/** The two subkeys every identity record uses. */
export interface IdentitySubkeys {
  /** HMAC-SHA256 key for token/secret-id lookup ids. */
  readonly lookup: Buffer;
  /** AES-256-GCM key for identity records. */
  readonly record: Buffer;
}

/** Source of the identity subkeys (sealed store: HUSH_E_SEALED). */
export interface IdentityKeys {
  subkeys(): Promise<IdentitySubkeys>;
  /** Wipe the cached subkeys now (call when the store seals; they are also dropped on the next sealed call). */
  wipe(): void;
}

/** Derive a 256-bit subkey from the identity KEK with HKDF-SHA256 under a fixed purpose label. */
function derive(ikm: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), `hush identity ${label} v1`, 32));
}

/**
 * Identity subkeys from the barrier. Derived keys are cached per opened keyring object (the barrier hands back the
 * same object while the keyring row is unchanged) and wiped when it changes or the barrier reports sealed.
 *
 * @example
 * const keys = createIdentityKeys(barrier); const { lookup, record } = await keys.subkeys();
 */
export function createIdentityKeys(barrier: Pick<Barrier, 'keyring'>): IdentityKeys {
  let cached: { ring: OpenedKeyring; keys: IdentitySubkeys } | undefined;
  const drop = (): void => {
    if (cached) {
      wipe(cached.keys.lookup);
      wipe(cached.keys.record);
    }
    cached = undefined;
  };
  return {
    wipe: drop,
    async subkeys() {
      let opened: OpenedKeyring | undefined;
      try {
        // Every authenticated request needs these keys: read the keyring through the store's coherent read cache,
        // and go to storage directly (create = true reads uncached) only the first time, when it may not exist.
        opened =
          (await barrier.keyring(IDENTITY_KEYRING.project, IDENTITY_KEYRING.environment, false)) ??
          (await barrier.keyring(IDENTITY_KEYRING.project, IDENTITY_KEYRING.environment, true));
      } catch (err) {
        drop();
        throw err;
      }
      if (!opened) throw new Error('identity keyring missing after creation'); // barrier contract: create=true
      if (cached?.ring === opened) return cached.keys;
      drop();
      // Version 1 is never rotated (it is not reachable through the secrets API), so it is the identity KEK.
      const kek = keyVersion(opened.ring, 1).key;
      cached = {
        ring: opened,
        keys: { lookup: derive(kek, 'lookup-hmac'), record: derive(kek, 'record-aead') },
      };
      return cached.keys;
    },
  };
}

import { hkdfSync } from 'node:crypto';
import { keyVersion } from '../core/crypto/keyring.js';
import { wipe } from '../core/crypto/random.js';
import { isHushError } from '../core/errors/hush-error.js';
import type { Barrier, OpenedKeyring } from '../store/barrier.js';
import { keyringKey } from '../store/storage-keys.js';

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
  /** The subkeys without a promise when their keyring row is in the read cache and unchanged; else undefined. */
  peek(): IdentitySubkeys | undefined;
  /** Wipe the cached subkeys now (call when the store seals; they are also dropped on the next sealed call). */
  wipe(): void;
}

/** Which keyring a record family is sealed under, and the HKDF info label of each of its two subkeys. */
export interface SubkeySpec {
  readonly keyring: { readonly project: string; readonly environment: string };
  readonly info: { readonly lookup: string; readonly record: string };
}

/** Derive a 256-bit subkey from a KEK with HKDF-SHA256 under a fixed purpose label. */
function derive(ikm: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), info, 32));
}

/**
 * Lookup and record subkeys derived from version 1 of a reserved keyring (never rotated: it is not reachable through
 * the secrets API). Derived keys are cached per opened keyring object (the barrier hands back the same object while
 * the keyring row is unchanged) and wiped when the store seals (never while requests may still hold them). Identity, leases and
 * rotation records each use their own keyring and labels.
 */
export function createKeyringSubkeys(
  barrier: Pick<Barrier, 'keyring'> & Partial<Pick<Barrier, 'peekKeyring'>>,
  spec: SubkeySpec,
): IdentityKeys {
  const { project, environment } = spec.keyring;
  const ringKey = keyringKey(project, environment);
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
    peek() {
      if (cached === undefined || barrier.peekKeyring === undefined) return undefined;
      return barrier.peekKeyring(project, environment, ringKey) === cached.ring ? cached.keys : undefined;
    },
    async subkeys() {
      let opened: OpenedKeyring | undefined;
      try {
        // Every authenticated request needs these keys: read the keyring through the store's coherent read cache,
        // and go to storage directly (create = true reads uncached) only the first time, when it may not exist.
        opened =
          (await barrier.keyring(project, environment, false)) ??
          (await barrier.keyring(project, environment, true));
      } catch (err) {
        // Sealed: forget the keys now. Any other failure (storage down for a moment) must not wipe them: requests
        // already holding these buffers would compute lookups and decrypt records with zeroed keys.
        if (isHushError(err, 'HUSH_E_SEALED')) drop();
        throw err;
      }
      if (!opened) throw new Error(`${project} keyring missing after creation`); // barrier contract: create=true
      if (cached?.ring === opened) return cached.keys;
      // A changed keyring row (root rotation): switch to new keys, but leave the old buffers to requests in flight.
      cached = undefined;
      const kek = keyVersion(opened.ring, 1).key;
      cached = {
        ring: opened,
        keys: { lookup: derive(kek, spec.info.lookup), record: derive(kek, spec.info.record) },
      };
      return cached.keys;
    },
  };
}

/**
 * Identity subkeys from the barrier.
 *
 * @example
 * const keys = createIdentityKeys(barrier); const { lookup, record } = await keys.subkeys();
 */
export function createIdentityKeys(
  barrier: Pick<Barrier, 'keyring'> & Partial<Pick<Barrier, 'peekKeyring'>>,
): IdentityKeys {
  return createKeyringSubkeys(barrier, {
    keyring: IDENTITY_KEYRING,
    info: { lookup: 'hush identity lookup-hmac v1', record: 'hush identity record-aead v1' },
  });
}

import { hkdfSync } from 'node:crypto';
import { keyVersion } from '../../core/crypto/keyring.js';
import { wipe } from '../../core/crypto/random.js';
import { isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import type { Barrier, OpenedKeyring } from '../barrier.js';
import { keyringKey } from '../storage-keys.js';

/** The two subkeys every sealed record of a view uses. */
export interface SealedSubkeys {
  /** HMAC-SHA256 key for lookup ids of presented secrets (tokens, secret ids, role ids). */
  readonly lookup: Buffer;
  /** AES-256-GCM key for the records. */
  readonly record: Buffer;
}

/** Source of a view's subkeys (sealed store: HUSH_E_SEALED). */
export interface SubkeySource {
  subkeys(): Promise<SealedSubkeys>;
  /** The subkeys without a promise when their keyring row is in the read cache and unchanged; else undefined. */
  peek(): SealedSubkeys | undefined;
  /** Wipe the cached subkeys now (the barrier closing does it; they are also dropped on the next sealed call). */
  wipe(): void;
}

/**
 * Which reserved keyring (beside the project keyrings, `sys/keyring/@<name>/v1`, so a root rotation re-seals it with
 * the others; `@` cannot occur in a secret address) a record family is sealed under, and the HKDF info label of each
 * of its two subkeys.
 */
export interface KeyringSpec {
  readonly keyring: { readonly project: string; readonly environment: string };
  readonly info: { readonly lookup: string; readonly record: string };
}

/** The barrier as the subkeys use it: a keyring, its synchronous peek when the store has a read cache. */
export type SubkeyBarrier = Pick<Barrier, 'keyring'> & Partial<Pick<Barrier, 'peekKeyring'>>;

/** Derive a 256-bit subkey from a KEK with HKDF-SHA256 under a fixed purpose label. */
function derive(ikm: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), info, 32));
}

/**
 * Lookup and record subkeys derived from version 1 of a reserved keyring (never rotated: it is not reachable through
 * the secrets API). Derived keys are cached per opened keyring object (the barrier hands back the same object while
 * the keyring row is unchanged) and wiped on `wipe()` (never while requests may still hold them otherwise).
 */
export function createKeyringSubkeys(barrier: SubkeyBarrier, spec: KeyringSpec): SubkeySource {
  const { project, environment } = spec.keyring;
  const ringKey = keyringKey(project, environment);
  let cached: { ring: OpenedKeyring; keys: SealedSubkeys } | undefined;
  // Counts wipes: a call that was waiting for the keyring while the barrier closed must not cache keys after it.
  let wipes = 0;
  const drop = (): void => {
    wipes += 1;
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
      const at = wipes;
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
      // Sealed while the keyring was read: derive and keep nothing (the wipe has run; nothing would wipe them again).
      if (wipes !== at) throw hushError('STORE_SEALED');
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
 * Subkeys of a keyring that wipe themselves when the barrier closes (for a key used outside any record view, such as
 * the list-cursor key).
 *
 * @example
 * const cursorKeys = openSealedSubkeys(store.barrier, { keyring, info }); (await cursorKeys.subkeys()).record;
 */
export function openSealedSubkeys(
  barrier: SubkeyBarrier & Pick<Barrier, 'onClose'>,
  spec: KeyringSpec,
): SubkeySource {
  const keys = createKeyringSubkeys(barrier, spec);
  barrier.onClose(() => keys.wipe());
  return keys;
}

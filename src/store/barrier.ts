import type { KeyWrapper } from '../core/crypto/key-wrapper.js';
import { createKeyring, type Keyring, sealKeyring } from '../core/crypto/keyring.js';
import { readKeyringHeader } from '../core/crypto/keyring-protected.js';
import { wipe } from '../core/crypto/random.js';
import { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { StorageBackend } from '../storage/backend.js';
import type { RowPeek } from '../storage/cache/read-cache-backend.js';
import { KeyringSealer } from './keys/keyring-sealer.js';
import { decodeSealEntry, rootCheckMatches } from './seal/seal-entry.js';
import { keyringKey, SEAL_KEY } from './storage-keys.js';

/** A keyring as opened, with the storage revision it was read at (for check-and-set when it is saved). */
export interface OpenedKeyring {
  readonly ring: Keyring;
  readonly revision: number;
  /** What protects it: `root`, `imported:<fingerprint>` or `hsm:<id>`. */
  readonly protector: string;
}

/**
 * The barrier between storage and everything above it: it holds the root key while unsealed and the keyrings it
 * has opened. Sealing wipes all of it; every service asks the barrier first, so a sealed store refuses all work.
 */
export class Barrier {
  private root: Buffer | undefined;
  // Keyed by the keyring's storage key.
  private readonly rings = new Map<string, OpenedKeyring>();
  private readonly closeHooks: (() => void)[] = [];
  /** Seals and opens keyring rows under their protector (root, imported key, external wrapper). */
  readonly sealer: KeyringSealer;

  /**
   * @param backend storage as the store reads it (possibly through the read cache)
   * @param fresh storage without the cache: writers read the keyring from here, so a write never lands under a
   *   KEK version that another process has rotated away from (and perhaps pruned) since this process cached it
   * @param keyWrappers external key wrappers (HSM keys) by id, for keyrings protected by `hsm:<id>`
   */
  constructor(
    private readonly backend: Pick<StorageBackend, 'get' | 'batch'> & Partial<RowPeek>,
    private readonly clock: () => Date,
    private readonly fresh: Pick<StorageBackend, 'get'> = backend,
    keyWrappers: Readonly<Record<string, KeyWrapper>> = {},
  ) {
    this.sealer = new KeyringSealer(fresh, keyWrappers);
  }

  /** True while no root key is held. */
  get sealed(): boolean {
    return this.root === undefined;
  }

  /** Take ownership of `rootKey` (it is wiped on seal). */
  open(rootKey: Buffer): void {
    this.close();
    this.root = rootKey;
  }

  /** Run `hook` whenever the barrier closes (caches of decrypted data register here so sealing drops them). */
  onClose(hook: () => void): void {
    this.closeHooks.push(hook);
  }

  /** Wipe the root key and every cached keyring. */
  close(): void {
    for (const hook of this.closeHooks) hook();
    wipe(this.root);
    this.root = undefined;
    for (const { ring } of this.rings.values()) for (const v of ring.versions) wipe(v.key);
    this.rings.clear();
  }

  /** Raise HUSH_E_SEALED unless unsealed. */
  assertUnsealed(): void {
    this.rootKey();
  }

  /** Raise HUSH_E_SEALED when the barrier closed (or was reopened) since `root` was taken. */
  private stillOpen(root: Buffer): void {
    if (this.root !== root) throw hushError('STORE_SEALED');
  }

  /** The root key; raises HUSH_E_SEALED when sealed. */
  rootKey(): Buffer {
    if (!this.root) throw hushError('STORE_SEALED');
    return this.root;
  }

  /**
   * Synchronous fast path of {@link keyring}: the opened keyring when its row is in the read cache at the revision
   * it was opened at. Undefined (call `keyring`) when sealed, uncached, missing or changed. `key` must be
   * `keyringKey(project, environment)` (a hot caller passes one it already built).
   */
  peekKeyring(
    project: string,
    environment: string,
    key = keyringKey(project, environment),
  ): OpenedKeyring | undefined {
    if (this.root === undefined || this.backend.peek === undefined) return undefined;
    const entry = this.backend.peek(key);
    if (!entry) return undefined;
    const cached = this.rings.get(key);
    return cached !== undefined && cached.revision === entry.revision ? cached : undefined;
  }

  /**
   * The keyring of a project/environment (cached while its storage revision is unchanged, so another process's
   * rotation is picked up on the next operation). Returns undefined when none exists and `create` is false.
   */
  async keyring(project: string, environment: string, create: boolean): Promise<OpenedKeyring | undefined> {
    const root = this.rootKey();
    const scope = `${project}/${environment}`;
    const key = keyringKey(project, environment);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const entry = await (create ? this.fresh : this.backend).get(key);
      this.stillOpen(root);
      if (entry) {
        const cached = this.rings.get(key);
        if (cached && cached.revision === entry.revision) return cached;
        const opened = {
          ...(await this.openChecked(root, project, environment, entry.value)),
          revision: entry.revision,
        };
        if (this.root !== root) {
          // Sealed while it was opened: the close has run, so nothing would ever wipe this one.
          for (const v of opened.ring.versions) wipe(v.key);
          this.stillOpen(root);
        }
        this.rings.set(key, opened);
        return opened;
      }
      if (!create) return undefined;
      await this.createKeyring(root, project, environment);
    }
    throw hushError('COULD_NOT_CREATE_KEYRING_UNDER', { scope });
  }

  /**
   * Open a keyring; if it fails because another process rotated the root key, say so (HUSH_E_SEALED, and seal this
   * process) instead of reporting corruption.
   */
  private async openChecked(root: Buffer, project: string, environment: string, sealed: Uint8Array) {
    try {
      return await this.sealer.open(root, project, environment, sealed);
    } catch (err) {
      const seal = await this.backend.get(SEAL_KEY);
      if (seal && !rootCheckMatches(root, decodeSealEntry(seal.value).check)) throw this.staleRoot();
      throw err;
    }
  }

  private staleRoot(): HushError {
    this.close();
    return hushError('ROOT_KEY_ROTATED_STORE_RE');
  }

  /** Open a keyring without caching (for changes that wipe key versions, so the cache is never corrupted). */
  async freshKeyring(project: string, environment: string): Promise<OpenedKeyring | undefined> {
    const root = this.rootKey();
    const entry = await this.fresh.get(keyringKey(project, environment));
    if (!entry) return undefined;
    return { ...(await this.openChecked(root, project, environment, entry.value)), revision: entry.revision };
  }

  /**
   * Drop the cached keyring of a project/environment (its protector changed or was revoked). Its keys are not wiped
   * here: an operation already running may still hold them, and wiping would make it encrypt under a zeroed key.
   */
  forget(project: string, environment: string): void {
    this.rings.delete(keyringKey(project, environment));
  }

  /**
   * Seal `ring` under the protector its stored row names and write it with check-and-set on `expectedRevision`
   * (so a keyring never silently moves back to the root key; a row changed meanwhile fails the check-and-set).
   */
  async saveKeyring(
    project: string,
    environment: string,
    ring: Keyring,
    expectedRevision: number,
  ): Promise<void> {
    const key = keyringKey(project, environment);
    const stored = await this.fresh.get(key);
    const protector = stored
      ? readKeyringHeader(`${project}/${environment}`, stored.value).protector
      : ({ kind: 'root' } as const);
    const value = await this.sealer.seal(this.rootKey(), project, environment, ring, protector);
    await this.backend.batch([{ op: 'put', key, value, expectedRevision }]);
  }

  /**
   * Create a keyring. The seal record is rewritten with check-and-set in the same batch as a fence: if another
   * process rotated the root key meanwhile, this batch fails instead of leaving a keyring under a stale root.
   */
  private async createKeyring(root: Buffer, project: string, environment: string): Promise<void> {
    const seal = await this.backend.get(SEAL_KEY);
    if (!seal || !rootCheckMatches(root, decodeSealEntry(seal.value).check)) {
      throw this.staleRoot();
    }
    const ring = createKeyring(`${project}/${environment}`, this.clock());
    try {
      await this.backend.batch([
        {
          op: 'put',
          key: keyringKey(project, environment),
          value: sealKeyring(root, ring),
          expectedRevision: 0,
        },
        { op: 'put', key: SEAL_KEY, value: seal.value, expectedRevision: seal.revision },
      ]);
    } catch (err) {
      // Someone else created it (or touched the seal record) first: the caller reads again.
      if (!(err instanceof HushError && err.code === 'HUSH_E_CAS_CONFLICT')) throw err;
    } finally {
      for (const v of ring.versions) wipe(v.key);
    }
  }
}

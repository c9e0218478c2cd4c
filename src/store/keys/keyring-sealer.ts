import {
  aeadKeyWrapper,
  formatProtector,
  type KeyWrapper,
  type Protector,
} from '../../core/crypto/key-wrapper.js';
import { type Keyring, openKeyring, sealKeyring } from '../../core/crypto/keyring.js';
import { openKeyringWith, readKeyringHeader, sealKeyringWith } from '../../core/crypto/keyring-protected.js';
import { wipe } from '../../core/crypto/random.js';
import { hushError } from '../../core/errors/index.js';
import type { StorageBackend } from '../../storage/backend.js';
import { decodeByokRecord, type ImportedKeyRecord, importedKeyKey, openByokRecord } from './byok-records.js';

/** A keyring as unsealed, with the protector its row names (`root`, `imported:<fp>`, `hsm:<id>`). */
export interface UnsealedKeyring {
  readonly ring: Keyring;
  readonly protector: string;
}

/**
 * Seals and opens keyring rows under their protector: the root key (the original format), an imported customer key
 * (itself sealed under the root key in `sys/byok/imported/...`), or an external {@link KeyWrapper} (an HSM key).
 * A protector that is gone (revoked, or a wrapper this process was not given) fails for that keyring only, with
 * HUSH_E_KEY_UNAVAILABLE naming the project/environment and the protector.
 */
export class KeyringSealer {
  constructor(
    private readonly backend: Pick<StorageBackend, 'get'>,
    private readonly wrappers: Readonly<Record<string, KeyWrapper>> = {},
  ) {}

  /** Open a keyring row of `project/environment` under whatever protects it. */
  async open(root: Buffer, project: string, environment: string, row: Uint8Array): Promise<UnsealedKeyring> {
    const scope = `${project}/${environment}`;
    const header = readKeyringHeader(scope, row);
    const name = formatProtector(header.protector);
    const imported = await this.importedRecord(project, environment);
    // An imported key is registered for this scope, so its keyring must name it: a row naming anything else
    // (an older root-sealed copy, an edited header) is a downgrade attempt or corruption.
    if (imported && name !== `imported:${imported.fingerprint}`) {
      throw hushError('KEYRING_NAMES_PROTECTOR_BUT_IMPORTED', {
        scope,
        name,
        fingerprint: imported.fingerprint,
      });
    }
    if (!('wrappedKey' in header)) return { ring: openKeyring(root, scope, row), protector: name };
    const ring = await this.withWrapper(root, project, environment, header.protector, (w) =>
      openKeyringWith(w, scope, header),
    );
    return { ring, protector: name };
  }

  /** Seal `ring` under `protector` (its key must be available). */
  async seal(
    root: Buffer,
    project: string,
    environment: string,
    ring: Keyring,
    protector: Protector,
  ): Promise<Buffer> {
    if (protector.kind === 'root') return sealKeyring(root, ring);
    return this.withWrapper(root, project, environment, protector, (w) =>
      sealKeyringWith(w, protector, ring),
    );
  }

  /** The imported key record of a scope, if any (no key material is opened). */
  async importedRecord(project: string, environment: string): Promise<ImportedKeyRecord | undefined> {
    const key = importedKeyKey(project, environment);
    const entry = await this.backend.get(key);
    if (!entry) return undefined;
    const record = decodeByokRecord(key, entry.value);
    if (record.kind !== 'imported-key' || record.scope !== `${project}/${environment}`) {
      throw hushError('STORAGE_KEY_HOLDS_OTHER_RECORD', { key });
    }
    return record;
  }

  /** Run `fn` with the wrapper of a non-root protector; an imported key is wiped afterwards. */
  async withWrapper<T>(
    root: Buffer,
    project: string,
    environment: string,
    protector: Exclude<Protector, { kind: 'root' }>,
    fn: (wrapper: KeyWrapper) => Promise<T>,
  ): Promise<T> {
    const scope = `${project}/${environment}`;
    if (protector.kind === 'hsm') {
      const wrapper = this.wrappers[protector.id];
      if (!wrapper) {
        throw hushError(
          'KEYRING_PROTECTED_EXTERNAL_KEY_WRAPPER',
          { scope, id: protector.id },
          { scope, protector: `hsm:${protector.id}` },
        );
      }
      return fn(wrapper);
    }
    const record = await this.importedRecord(project, environment);
    if (!record) {
      throw hushError(
        'KEYRING_PROTECTED_IMPORTED_KEY_WHICH',
        { scope, fingerprint: protector.fingerprint, project, environment },
        { scope, protector: `imported:${protector.fingerprint}` },
      );
    }
    if (record.fingerprint !== protector.fingerprint) {
      throw hushError('KEYRING_NAMES_IMPORTED_KEY_BUT', {
        scope,
        fingerprint: protector.fingerprint,
        fingerprint2: record.fingerprint,
      });
    }
    const key = openByokRecord(root, record);
    try {
      return await fn(aeadKeyWrapper(`imported:${record.fingerprint}`, key, scope));
    } finally {
      wipe(key);
    }
  }
}

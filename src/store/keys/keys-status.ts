import { formatProtector } from '../../core/crypto/key-wrapper.js';
import { keyVersion } from '../../core/crypto/keyring.js';
import { readKeyringHeader } from '../../core/crypto/keyring-protected.js';
import { type ErrorCode, isHushError } from '../../core/errors/index.js';
import type { StoreContext } from '../context.js';
import { decodeSealEntry } from '../seal/seal-entry.js';
import { KEYRING_PREFIX, SEAL_KEY } from '../storage-keys.js';
import { listKeys } from './list-keys.js';

/** The protection and versions of one project/environment keyring (nothing secret). */
export interface KeyringStatus {
  readonly scope: string;
  /** `root`, `imported:<fingerprint>` or `hsm:<id>`. */
  readonly protector: string;
  /** False when its protector is revoked or unavailable (then `error` says why and versions are unknown). */
  readonly available: boolean;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
  /** The KEK version new writes use. */
  readonly current?: number;
  readonly versions: readonly { readonly version: number; readonly createdAt: string }[];
  /** When the current KEK version was made (the keyring's last rotation). */
  readonly lastRotatedAt?: string;
  /** When the imported key was imported (imported protector only). */
  readonly importedAt?: string;
}

/** Key protection across the store: the root key's dates and every keyring. */
export interface KeysStatus {
  readonly root: { readonly initializedAt: string; readonly lastRotatedAt: string };
  readonly keyrings: readonly KeyringStatus[];
}

/** Build `keysStatus`: what protects each project/environment keyring, its KEK versions and rotation dates. */
export function createKeysStatus(ctx: Pick<StoreContext, 'backend' | 'barrier'>) {
  return async function keysStatus(): Promise<KeysStatus> {
    ctx.barrier.assertUnsealed();
    const seal = await ctx.backend.get(SEAL_KEY);
    const entry = seal ? decodeSealEntry(seal.value) : undefined;
    const initializedAt = entry?.initializedAt ?? '';
    const keyrings: KeyringStatus[] = [];
    for await (const key of listKeys(ctx.backend, KEYRING_PREFIX)) {
      keyrings.push(await keyringStatus(key.slice(KEYRING_PREFIX.length)));
    }
    return { root: { initializedAt, lastRotatedAt: entry?.rotatedAt ?? initializedAt }, keyrings };
  };

  async function keyringStatus(scope: string): Promise<KeyringStatus> {
    const [project = '', environment = ''] = scope.split('/');
    const imported = await ctx.barrier.sealer.importedRecord(project, environment).catch(() => undefined);
    const importedAt = imported ? { importedAt: imported.importedAt } : {};
    try {
      const opened = await ctx.barrier.keyring(project, environment, false);
      if (!opened) return { scope, protector: 'root', available: false, versions: [] };
      const { ring } = opened;
      return {
        scope,
        protector: opened.protector,
        available: true,
        current: ring.current,
        versions: ring.versions.map(({ version, createdAt }) => ({ version, createdAt })),
        lastRotatedAt: keyVersion(ring).createdAt,
        ...importedAt,
      };
    } catch (err) {
      if (!isHushError(err) || err.code === 'HUSH_E_SEALED') throw err;
      return {
        scope,
        protector: await protectorOf(scope),
        available: false,
        error: { code: err.code, message: err.message },
        versions: [],
        ...importedAt,
      };
    }
  }

  async function protectorOf(scope: string): Promise<string> {
    const row = await ctx.backend.get(`${KEYRING_PREFIX}${scope}`);
    try {
      return row ? formatProtector(readKeyringHeader(scope, row.value).protector) : 'unknown';
    } catch {
      return 'unknown';
    }
  }
}

import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { type HushError, isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import {
  KeyFileSeal,
  looseKeyFileAllowed,
  Pkcs11Seal,
  RsaSeal,
  type Seal,
  type SealKind,
  ShamirSeal,
} from '../../seal/index.js';
import type { StorageBackend } from '../../storage/backend.js';
import type { BackendLocation } from '../../storage/backend-location.js';
import { openBackend } from '../../storage/open-backend.js';
import { createStore, type HushStore } from '../../store/index.js';
import type { RemoteStore } from '../remote/remote-store.js';
import type { LocalFlags } from './local-options.js';
import { localPaths } from './local-paths.js';

export { localPaths } from './local-paths.js';

import { type MaterialSources, readUnsealMaterial } from './unseal-material.js';

/** The store methods CLI commands may call: a local HushStore and a remote one (HUSH_ADDR) both provide them. */
export type CliStore = RemoteStore;

/** An opened store (local, or remote when HUSH_ADDR and HUSH_TOKEN are set) and where it lives. */
export interface LocalStore {
  readonly store: CliStore;
  /** The same store with its full API (storage, barrier) when it is local; absent over HUSH_ADDR. */
  readonly local?: HushStore;
  readonly dataDir: string;
  /** Where the rows live, as shown in output (`sqlite:<dir>`, a masked postgres URL, `dynamodb://...`). */
  readonly database: string;
  /** Where the rows live; absent over HUSH_ADDR. */
  readonly location?: BackendLocation;
  /** The key file the key-file seal uses (flag, env, or `<data-dir>/root.key`). */
  readonly keyFile: string;
  readonly sealKind: SealKind;
}

/** How a command wants the store: unsealed with the material at hand, or just opened (status, seal, unseal). */
export type OpenMode = 'unsealed' | 'opened';

/** The seal object for unsealing (or rotating) a store of `kind`; init-time options are the caller's. */
export function unsealingSeal(
  kind: SealKind,
  keyFile: string,
  flags: LocalFlags = {},
  env: NodeJS.ProcessEnv = {},
): Seal {
  if (kind === 'key-file')
    return new KeyFileSeal({ path: keyFile, allowLooseMode: looseKeyFileAllowed(env) });
  if (kind === 'shamir') return new ShamirSeal();
  if (kind === 'rsa') return new RsaSeal();
  if (kind === 'pkcs11') return new Pkcs11Seal(pkcs11SealOptions(flags, env));
  throw hushError('SEAL_NOT_AVAILABLE_LOCAL_MODE', { kind });
}

/** Library and PIN source of the pkcs11 seal in local mode (the token and key labels come from the record). */
export function pkcs11SealOptions(flags: LocalFlags, env: NodeJS.ProcessEnv) {
  const library = flags.pkcs11Library ?? env['HUSH_PKCS11_LIBRARY'];
  const pinFile = flags.pkcs11PinFile ?? env['HUSH_PKCS11_PIN_FILE'];
  return { ...(library ? { library } : {}), ...(pinFile ? { pinFile } : {}), env };
}

/**
 * Open the local store (`<data-dir>/hush.db`, or any backend `--backend` names) and build it with the seal its
 * record names. In `unsealed` mode the store is unsealed with the material from flags/environment (the key file for
 * the key-file seal), honouring the lockdown flag set by `hush seal`. Never creates a SQLite database: a missing
 * one (or a backend without a seal record) is HUSH_E_NOT_INITIALIZED.
 */
export async function openLocalStore(
  flags: LocalFlags,
  mode: OpenMode,
  sources: MaterialSources,
): Promise<LocalStore> {
  const paths = localPaths(flags, sources.env);
  const { location } = paths;
  if (location.kind === 'sqlite' && !existsSync(location.path)) throw notInitialized(paths.where);
  const backend = await openBackend(location);
  try {
    // status() reads the seal record without touching the seal, so any seal object serves to learn the kind.
    const probe = createStore({ backend, seal: new KeyFileSeal({ path: paths.keyFile }) });
    const status = await probe.status();
    if (!status.initialized || !status.sealKind) throw notInitialized(paths.where);
    const sealKind = status.sealKind;
    const store = createStore({
      backend,
      seal: unsealingSeal(sealKind, paths.keyFile, flags, sources.env),
    });
    const local = { store, local: store, ...paths, sealKind };
    if (mode === 'unsealed') await autoUnseal(local, backend, flags, sources);
    return local;
  } catch (err) {
    await backend.close();
    throw err;
  }
}

/** Run `fn` on an opened local store and always close it (sealing it in memory and checkpointing the WAL). */
export async function withLocalStore<T>(
  flags: LocalFlags,
  mode: OpenMode,
  sources: MaterialSources,
  fn: (local: LocalStore) => Promise<T>,
): Promise<T> {
  const local = await openLocalStore(flags, mode, sources);
  try {
    return await fn(local);
  } finally {
    await local.store.close();
  }
}

async function autoUnseal(
  local: LocalStore,
  backend: StorageBackend,
  flags: LocalFlags,
  sources: MaterialSources,
): Promise<void> {
  const material = await readUnsealMaterial(local.sealKind, flags, sources);
  try {
    await local.store.unseal(material, { respectLockdown: true });
  } catch (err) {
    if (local.sealKind === 'key-file' && isHushError(err, 'HUSH_E_UNSEAL_FAILED')) {
      if (await finishKeyFileRotation(local, backend)) return;
    }
    throw err;
  }
}

/**
 * `operator rotate-root` on a key-file store writes the new key to `<key-file>.next`, commits, then renames it over
 * the old file. If the process died between the commit and the rename, the store opens with `.next`: finish the
 * rename here so nothing is lost.
 */
async function finishKeyFileRotation(local: LocalStore, backend: StorageBackend): Promise<boolean> {
  const next = `${local.keyFile}.next`;
  if (!existsSync(next)) return false;
  const store = createStore({ backend, seal: new KeyFileSeal({ path: next }) });
  try {
    await store.unseal({}, { respectLockdown: true });
  } catch {
    return false;
  } finally {
    // Only needed to prove `.next` is the right key: wipe its copy of the root key (the backend stays open).
    await store.seal({ persist: false });
  }
  await rename(next, local.keyFile);
  await local.store.unseal({}, { respectLockdown: true });
  return true;
}

function notInitialized(where: string): HushError {
  return hushError('NO_STORE_WHERE', { where });
}

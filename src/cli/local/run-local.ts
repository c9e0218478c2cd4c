import type { Command } from 'commander';
import { HushError } from '../../core/errors/hush-error.js';
import type { OutputOptions } from '../io/output.js';
import { type LocalFlags, localFlags } from './local-options.js';
import type { LocalStore, OpenMode } from './open-local-store.js';

/**
 * The body of a store command: open the store, run `fn`, close. The store is remote (the HTTP API through
 * hush/client) when HUSH_ADDR is set and no --data-dir was given, else the local data directory (unsealed unless
 * `mode` says otherwise). `out` carries --json for `emit`.
 */
export async function runLocal(
  cmd: Command,
  mode: OpenMode,
  fn: (local: LocalStore, out: OutputOptions, flags: LocalFlags) => Promise<void>,
): Promise<void> {
  const flags = localFlags(cmd);
  const out = { json: flags.json === true };
  const address = process.env['HUSH_ADDR'];
  if (address && flags.dataDir === undefined) {
    await fn(await openRemote(address, process.env['HUSH_TOKEN']), out, flags);
    return;
  }
  // Loaded on use: every command module imports this file, and `hush scan` must not pay for SQLite and the store.
  const { withLocalStore } = await import('./open-local-store.js');
  await withLocalStore(flags, mode, { env: process.env }, (local) => fn(local, out, flags));
}

async function openRemote(address: string, token: string | undefined): Promise<LocalStore> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new HushError('HUSH_E_CONFIG', `HUSH_ADDR is not a URL (expected e.g. http://127.0.0.1:8200)`);
  }
  const { createRemoteStore } = await import('../remote/remote-store.js');
  const store = createRemoteStore({ address: url.origin, ...(token ? { token } : {}) });
  const status = await store.status();
  return {
    store,
    dataDir: url.origin,
    database: url.origin,
    keyFile: '',
    sealKind: status.sealKind ?? 'key-file',
  };
}

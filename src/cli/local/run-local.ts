import type { Command } from 'commander';
import type { OutputOptions } from '../io/output.js';
import { remoteAddress } from '../remote/remote-address.js';
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
  const address = remoteAddress(flags, process.env);
  if (address !== undefined) {
    await fn(await openRemote(address, process.env['HUSH_TOKEN']), out, flags);
    return;
  }
  // Loaded on use: every command module imports this file, and `hush scan` must not pay for SQLite and the store.
  const { withLocalStore } = await import('./open-local-store.js');
  await withLocalStore(flags, mode, { env: process.env }, (local) => fn(local, out, flags));
}

async function openRemote(address: string, token: string | undefined): Promise<LocalStore> {
  const { createRemoteStore } = await import('../remote/remote-store.js');
  const { clientTlsFromEnv } = await import('../remote/client-tls.js');
  const store = createRemoteStore({ address, ...(token ? { token } : {}), ...clientTlsFromEnv(process.env) });
  const status = await store.status();
  return {
    store,
    dataDir: address,
    database: address,
    keyFile: '',
    sealKind: status.sealKind ?? 'key-file',
  };
}

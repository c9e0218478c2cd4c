import type { Command } from 'commander';
import type { HushStore } from '../../store/index.js';
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
  await withLocalStore(flags, mode, { env: process.env }, async (local) =>
    fn(mode === 'unsealed' ? await withLocalAudit(local) : local, out, flags),
  );
}

/**
 * Put the local store's secrets and keys operations on the data directory's hash-chained trail
 * (`audit-local.jsonl`), HMAC'd under the audit key kept in the store (created there if the store has none yet).
 */
async function withLocalAudit(local: LocalStore): Promise<LocalStore> {
  const raw = local.local;
  if (!raw) return local;
  const { auditedStore } = await import('./audited-store.js');
  if (local.location && local.location.kind !== 'sqlite') {
    // A store on another backend still keeps its local audit trail (and key file) in the data directory.
    const { mkdir } = await import('node:fs/promises');
    await mkdir(local.dataDir, { recursive: true, mode: 0o700 });
  }
  const trail = await openLocalTrail(raw, local.dataDir);
  return { ...local, store: auditedStore(local.store, (event) => trail.append(event)) };
}

/** The data directory's local audit trail (`audit-local.jsonl`), HMAC'd under the audit key kept in the store. */
export async function openLocalTrail(raw: Pick<HushStore, 'readBackend' | 'barrier'>, dataDir: string) {
  const { join } = await import('node:path');
  const { AUDIT_KEY_FILE } = await import('../../audit/audit-key-file.js');
  const { ensureStoredAuditKey } = await import('../../audit/stored-audit-key.js');
  const { createLocalTrail } = await import('../../audit/local-trail.js');
  const { AUDIT_VIEW, openSealedView } = await import('../../store/sealed-view/index.js');
  const records = openSealedView(raw.readBackend, raw.barrier, AUDIT_VIEW);
  const hmacKey = await ensureStoredAuditKey(records, join(dataDir, AUDIT_KEY_FILE), (text) =>
    process.stderr.write(text),
  );
  return createLocalTrail({ dir: dataDir, hmacKey });
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

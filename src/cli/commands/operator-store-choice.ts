import { resolve } from 'node:path';
import { HushError } from '../../core/errors/hush-error.js';
import type { LocalFlags } from '../local/local-options.js';
import { remoteAddress } from '../remote/remote-address.js';

/**
 * Refuse a storage-level operator command (snapshot save/restore, migrate) that names no store while HUSH_ADDR and
 * HUSH_DATA_DIR are both set: each variable points at a different store and the command cannot act through the
 * server, so the message says so and gives both ways out. Without HUSH_DATA_DIR, {@link locationOf} refuses alone.
 */
export function refuseAmbiguousStore(
  flags: LocalFlags,
  env: NodeJS.ProcessEnv,
  urlFlag: '--from' | '--to',
): void {
  const dataDir = env['HUSH_DATA_DIR'];
  if (!dataDir || remoteAddress(flags, env) === undefined) return;
  throw new HushError(
    'HUSH_E_USAGE',
    `both HUSH_ADDR and HUSH_DATA_DIR are set; this command works on a store's storage directly, not through a server, so it will not guess between them: add --data-dir ${resolve(dataDir)} for HUSH_DATA_DIR's store, or ${urlFlag} URL for the server's storage (e.g. sqlite:/srv/hush/data or postgres://...), or unset HUSH_ADDR`,
  );
}

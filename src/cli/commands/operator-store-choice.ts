import { resolve } from 'node:path';
import { hushError } from '../../core/errors/index.js';
import { shellWord } from '../io/shell-quote.js';
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
  throw hushError('STORE_AMBIGUOUS_ADDR_AND_DATA_DIR', { dataDir: shellWord(resolve(dataDir)), urlFlag });
}

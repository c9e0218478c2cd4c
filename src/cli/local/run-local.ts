import type { Command } from 'commander';
import type { OutputOptions } from '../io/output.js';
import { type LocalFlags, localFlags } from './local-options.js';
import { type LocalStore, type OpenMode, withLocalStore } from './open-local-store.js';

/**
 * The body of a local-mode command: open the store (unsealed unless `mode` says otherwise), run `fn`, close.
 * `out` carries --json for `emit`.
 */
export async function runLocal(
  cmd: Command,
  mode: OpenMode,
  fn: (local: LocalStore, out: OutputOptions, flags: LocalFlags) => Promise<void>,
): Promise<void> {
  const flags = localFlags(cmd);
  const out = { json: flags.json === true };
  await withLocalStore(flags, mode, { env: process.env }, (local) => fn(local, out, flags));
}

import type { Command } from 'commander';
import { emit, table } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

/** `hush status`: initialised, seal kind, lockdown, data dir (nothing secret; does not unseal). */
export function registerStatus(program: Command): void {
  withLocalOptions(program.command('status'))
    .description('show the state of the store (does not unseal)')
    .action(async (_opts: unknown, cmd: Command) => {
      await runLocal(cmd, 'opened', async ({ store, dataDir, database }, out) => {
        const { sealed: _thisProcess, ...status } = await store.status();
        const autoUnseal = status.sealKind === 'key-file' && !status.lockedDown;
        const value = { dataDir, database, ...status, autoUnseal };
        emit(out, value, () =>
          table(
            ['FIELD', 'VALUE'],
            Object.entries(value).map(([k, v]) => [k, String(v)]),
          ),
        );
      });
    });
}

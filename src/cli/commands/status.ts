import type { Command } from 'commander';
import { emit, table } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

/**
 * `hush status`: initialised, seal kind, lockdown, data dir (nothing secret; does not unseal). Against a server
 * (HUSH_ADDR) it shows the server's seal state instead: `sealed` is the server's, and there is no auto-unseal.
 */
export function registerStatus(program: Command): void {
  withLocalOptions(program.command('status'))
    .description('show the state of the store or, with HUSH_ADDR, of the server (does not unseal)')
    .action(async (_opts: unknown, cmd: Command) => {
      await runLocal(cmd, 'opened', async ({ store, dataDir, database }, out) => {
        const { sealed, ...status } = await store.status();
        const { lockedDown: _noLockdownOnServers, ...serverStatus } = status;
        // A local process opens its own copy of the store: "sealed" would describe only this process, while a
        // server's seal state is shared by every client and a server never unseals by itself from a lockdown.
        const value =
          status.backendKind === 'remote'
            ? { address: dataDir, ...serverStatus, sealed }
            : {
                dataDir,
                database,
                ...status,
                // key-file and pkcs11 need no operator material per command (the key file; the HSM with the PIN from env).
                autoUnseal:
                  (status.sealKind === 'key-file' || status.sealKind === 'pkcs11') && !status.lockedDown,
              };
        emit(out, value, () =>
          table(
            ['FIELD', 'VALUE'],
            Object.entries(value).map(([k, v]) => [k, String(v)]),
          ),
        );
      });
    });
}

import type { Command } from 'commander';
import { emit } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

/** `hush seal`: lock the store down until `hush unseal` (persistent flag; no command unseals automatically). */
export function registerSeal(program: Command): void {
  withLocalOptions(program.command('seal'))
    .description('seal the store: every command refuses to work until `hush unseal`')
    .action(async (_opts: unknown, cmd: Command) => {
      await runLocal(cmd, 'opened', async ({ store, sealKind }, out) => {
        await store.seal();
        emit(
          out,
          { sealed: true, sealKind, lockedDown: true },
          () => 'sealed; run `hush unseal` to open it again',
        );
      });
    });
}

import type { Command } from 'commander';
import { emit } from '../io/output.js';
import { localActor, withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';
import { localRotationService } from './rotate-api.js';

/** `hush mv SRC DST`: rename a secret or everything below a prefix. */
export function registerMv(program: Command): void {
  withLocalOptions(program.command('mv <src> <dst>'))
    .description('move a secret, or every secret below a prefix, to a new path (re-encrypted for it)')
    .option('--overwrite', 'replace secrets that exist at the destination')
    .action(async (src: string, dst: string, opts: { overwrite?: boolean }, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store, local }, out) => {
        const result = await store.move(src, dst, {
          actor: localActor(),
          overwrite: opts.overwrite === true,
          // Locally there is no server to carry the rotation state along, so this command does.
          ...(local ? { onMoved: (await localRotationService(local)).followMove } : {}),
        });
        emit(out, result, () => result.moved.map((m) => `${m.from} -> ${m.to}`).join('\n'));
      });
    });
}

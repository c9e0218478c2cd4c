import type { Command } from 'commander';
import type { HushStore } from '../../store/index.js';
import { emit } from '../io/output.js';
import { localActor, localFlags, withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';
import { remoteAddress } from '../remote/remote-address.js';

/** Rotation state follows a local move (loaded on use, as the rotate commands load it). */
async function localRotationFollow(store: HushStore): Promise<(from: string, to: string) => Promise<void>> {
  const { createRotationService } = await import('../../rotation/index.js');
  return createRotationService({ store, backend: store.readBackend, barrier: store.barrier }).followMove;
}

/** `hush mv SRC DST`: rename a secret or everything below a prefix. */
export function registerMv(program: Command): void {
  withLocalOptions(program.command('mv <src> <dst>'))
    .description('move a secret, or every secret below a prefix, to a new path (re-encrypted for it)')
    .option('--overwrite', 'replace secrets that exist at the destination')
    .action(async (src: string, dst: string, opts: { overwrite?: boolean }, cmd: Command) => {
      const remote = remoteAddress(localFlags(cmd), process.env) !== undefined;
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const result = await store.move(src, dst, {
          actor: localActor(),
          overwrite: opts.overwrite === true,
          // Locally there is no server to carry the rotation state along, so this command does.
          ...(remote ? {} : { onMoved: await localRotationFollow(store as unknown as HushStore) }),
        });
        emit(out, result, () => result.moved.map((m) => `${m.from} -> ${m.to}`).join('\n'));
      });
    });
}

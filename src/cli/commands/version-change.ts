import type { Command } from 'commander';
import type { HushStore } from '../../store/index.js';
import { emit } from '../io/output.js';
import { parseVersionList } from '../io/parse-options.js';
import { localActor, withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

/** The store methods that change version states. */
export type VersionChangeMethod = 'delete' | 'undelete' | 'destroy';

/** Register `hush delete|undelete|destroy ADDRESS [--versions 1,2]` (one shape, three store methods). */
export function registerVersionChange(
  program: Command,
  method: VersionChangeMethod,
  description: string,
  verb: string,
): void {
  withLocalOptions(program.command(`${method} <address>`))
    .description(description)
    .option('--versions <list>', 'comma-separated versions (default: the latest)')
    .action(async (address: string, opts: { versions?: string }, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const run: HushStore[VersionChangeMethod] = store[method];
        const result = await run(address, {
          actor: localActor(),
          ...(opts.versions !== undefined ? { versions: parseVersionList(opts.versions) } : {}),
        });
        emit(out, result, () =>
          result.changed.length === 0
            ? `nothing changed: the versions of ${result.path} were already ${verb}`
            : `${verb} ${result.path} version(s) ${result.changed.join(', ')}`,
        );
      });
    });
}

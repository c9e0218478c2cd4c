import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { emit } from '../io/output.js';
import { parseVersionNumber } from '../io/parse-options.js';
import { localActor, withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

/** `hush rollback ADDRESS --to N`: write a new version holding version N's content. */
export function registerRollback(program: Command): void {
  withLocalOptions(program.command('rollback <address>'))
    .description('write a new version with the content of an older one (history is kept)')
    .option('--to <n>', 'the version to restore')
    .option('--cas <n>', 'check-and-set on the latest version')
    .action(async (address: string, opts: { to?: string; cas?: string }, cmd: Command) => {
      if (opts.to === undefined) throw hushError('ROLLBACK_NEEDS_N_SEE_HUSH');
      const version = parseVersionNumber(opts.to, '--to');
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const result = await store.rollback(address, {
          actor: localActor(),
          version,
          ...(opts.cas !== undefined ? { cas: parseVersionNumber(opts.cas, '--cas', true) } : {}),
        });
        emit(
          out,
          { ...result, from: version },
          () => `rolled ${result.path} back to version ${version} as version ${result.version}`,
        );
      });
    });
}

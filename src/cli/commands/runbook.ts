import type { Command } from 'commander';
import { GENERIC_FACTS, renderRunbook } from '../../core/incident/runbook.js';
import { withLocalOptions } from '../local/local-options.js';
import { remoteAddress } from '../remote/remote-mode.js';
import { remoteContext } from '../remote/request.js';

/** `hush runbook`: print the incident runbook for this deployment (server, local data dir, or --generic). */
export function registerRunbook(program: Command): void {
  withLocalOptions(program.command('runbook'))
    .description(
      'print the incident runbook: how secrets are stored, generated, managed, used, and what to do when one leaks',
    )
    .option('--generic', 'the deployment-independent runbook (docs/RUNBOOK.md)')
    .action(async (opts: { generic?: boolean; dataDir?: string }, cmd: Command) => {
      if (opts.generic) return void process.stdout.write(renderRunbook(GENERIC_FACTS));
      const flags = cmd.optsWithGlobals<{ dataDir?: string }>();
      if (remoteAddress(flags, process.env)) {
        const res = await remoteContext(cmd).client.runbook();
        return void process.stdout.write(res.markdown);
      }
      const { localPaths, withLocalStore } = await import('../local/open-local-store.js');
      const paths = localPaths(flags, process.env);
      const seal = await withLocalStore(
        flags,
        'opened',
        { env: process.env },
        async (local) => local.sealKind,
      );
      process.stdout.write(
        renderRunbook({
          storage: `${paths.location.kind} (${paths.location.kind === 'sqlite' ? paths.location.path : paths.database})`,
          seal,
          audit: `${paths.dataDir}/audit.jsonl (when a server runs on this data dir)`,
          address: process.env['HUSH_ADDR'] ?? 'http://127.0.0.1:8200',
        }),
      );
    });
}

import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import type { MigrateProgress, MigrateResult } from '../../operator/migrate-backends.js';
import { locationIdentity } from '../../storage/backend-location.js';
import { openBackend } from '../../storage/open-backend.js';
import { emit } from '../io/output.js';
import { localFlags, withLocalOptions } from '../local/local-options.js';
import { intOption, locationOf } from './operator-locations.js';

interface MigrateFlags {
  from?: string;
  to?: string;
  pageSize?: string;
  dryRun?: boolean;
}

/** Progress lines on stderr: the first page, then at most one a second, then the last. */
function progressPrinter(): (p: MigrateProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.phase === 'copy' && last !== 0 && now - last < 1000 && p.copied < p.total) return;
    last = now;
    const text =
      p.phase === 'copy'
        ? `copied ${p.copied}/${p.total} rows`
        : p.phase === 'repair'
          ? 're-copying the keys that changed since the last run'
          : `verifying ${p.total} rows (count and sha256 on both sides)`;
    process.stderr.write(`hush: migrate: ${text}\n`);
  };
}

function describe(r: MigrateResult, from: string, to: string): string {
  if (r.dryRun) {
    return `dry run: ${r.sourceRows} rows in ${from} would be copied to ${to}${r.resumedAfter > 0 ? ` (resuming after ${r.resumedAfter} rows already copied)` : ''}; nothing was written`;
  }
  return [
    `migrated ${r.sourceRows} rows from ${from} to ${to} in ${r.seconds.toFixed(1)} s (${r.copied} copied by this run at ${r.rowsPerSecond} rows/s, verified in ${r.verifySeconds.toFixed(1)} s${r.resumedAfter > 0 ? `; resumed after ${r.resumedAfter}` : ''}${r.repaired > 0 ? `; ${r.repaired} changed keys re-copied` : ''})`,
    `source: ${r.source?.rows} rows  sha256 ${r.source?.sha256}`,
    `target: ${r.target?.rows} rows  sha256 ${r.target?.sha256}`,
    'verified: counts and checksums match',
  ].join('\n');
}

/** `hush operator migrate --from <url> --to <url>`: copy a store's rows to another backend, resumable, verified. */
export function registerOperatorMigrate(operator: Command): void {
  withLocalOptions(operator.command('migrate'))
    .description(
      'copy every row (still encrypted) to another backend, resumably, then verify counts and checksums',
    )
    .option('--from <url>', 'source backend URL (default: the local data dir)')
    .requiredOption(
      '--to <url>',
      'target backend URL: sqlite:<dir>, sqlite:<file.db>, postgres://..., dynamodb://<table>?region=...',
    )
    .option('--page-size <n>', 'rows per page and per target transaction, 1..1000 (default 500)')
    .option('--dry-run', 'only count and check both sides; write nothing')
    .action(async (opts: MigrateFlags, cmd: Command) => {
      const flags = localFlags(cmd);
      const env = process.env;
      const from = locationOf(opts.from, flags, env, '--from');
      const to = locationOf(opts.to, flags, env, '--to');
      if (locationIdentity(from) === locationIdentity(to)) {
        throw hushError('BOTH_NAME_MIGRATE_INTO_ANOTHER', { display: from.display });
      }
      const pageSize = intOption(opts.pageSize, '--page-size', 1, 1000);
      const { migrateBackends } = await import('../../operator/migrate-backends.js');
      const source = await openBackend(from, { mustExist: true });
      try {
        const target = await openBackend(to);
        try {
          const result = await migrateBackends({
            source,
            target,
            labels: { from: from.display, to: to.display },
            sourceLocation: locationIdentity(from),
            ...(pageSize ? { pageSize } : {}),
            dryRun: opts.dryRun === true,
            onProgress: progressPrinter(),
          });
          emit({ json: flags.json === true }, { from: from.display, to: to.display, ...result }, () =>
            describe(result, from.display, to.display),
          );
        } finally {
          await target.close();
        }
      } finally {
        await source.close();
      }
    });
}

import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { emit, table } from '../io/output.js';
import { remoteContext } from '../remote/request.js';

/** `hush alerts list [--json] [--limit N] [--rule R]`: recent security alerts from a server (HUSH_ADDR, HUSH_TOKEN). */
export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('security alerts raised by a Hush server');
  alerts
    .command('list')
    .description('list recent alerts, newest first (needs sudo on sys/alerts)')
    .option('--json', 'machine-readable JSON output')
    .option('--limit <n>', 'at most this many alerts')
    .option('--rule <rule>', 'only this rule, e.g. denial-burst, bulk-read, secret-expiry')
    .action(async (opts: { json?: boolean; limit?: string; rule?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      if (opts.limit !== undefined && !/^[1-9][0-9]{0,5}$/.test(opts.limit)) {
        throw hushError('FLAG_NOT_WHOLE_NUMBER', { flag: '--limit', range: '1..999999', text: opts.limit });
      }
      const res = await ctx.client.alerts.list({
        ...(opts.limit ? { limit: Number(opts.limit) } : {}),
        ...(opts.rule ? { rule: opts.rule } : {}),
      });
      emit({ json: ctx.json || opts.json === true }, res, () =>
        res.alerts.length === 0
          ? 'no alerts'
          : table(
              ['TIME', 'RULE', 'SEVERITY', 'IDENTITY', 'SOURCE', 'PATH', 'MESSAGE'],
              res.alerts.map((a) => [
                a.time,
                a.rule,
                a.severity,
                a.identity ?? '-',
                a.sourceAddress ?? '-',
                a.path ?? '-',
                a.message,
              ]),
            ),
      );
    });
}

import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import type { BatchReport, RotationResult } from '../../rotation/index.js';
import { emit, type OutputOptions, table } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { withRotationApi } from './rotate-api.js';
import { registerRotatePolicy } from './rotate-policy.js';

interface RotateFlags {
  prefix?: string;
  onDeploy?: boolean;
  nextDeploy?: boolean;
}

function line(r: RotationResult): string {
  if (r.outcome === 'rotated')
    return `rotated ${r.path}: version ${r.version} is current${r.previousVersion !== undefined ? ` (previous ${r.previousVersion})` : ''}`;
  return `FAILED ${r.path}: ${r.message ?? r.code}`;
}

/** Print a report; any failure makes the command fail (exit 10) after the report is out. */
function finishBatch(out: OutputOptions, report: BatchReport, what: string): void {
  emit(out, report, () =>
    report.results.length === 0
      ? `nothing to rotate (${what})`
      : `${report.results.map(line).join('\n')}\n${report.rotated} rotated, ${report.failed} failed`,
  );
  if (report.failed > 0)
    throw hushError('ROTATION_S_FAILED_THEIR_CURRENT', {
      failed: report.failed,
      length: report.results.length,
    });
}

/**
 * `hush rotate PATH | --prefix P | --on-deploy [--prefix P]`, `hush rotate PATH --next-deploy`,
 * `hush rotate status`, `hush rotate policy ...`. Local (data dir) or remote (HUSH_ADDR).
 */
export function registerRotate(program: Command): void {
  const rotate = withLocalOptions(program.command('rotate [address]'))
    .description(
      'rotate secrets now under their policy (generate, stage, hook, promote); see `rotate policy`',
    )
    .option('--prefix <prefix>', 'every covered secret below a prefix (with --on-deploy: limit to it)')
    .option('--on-deploy', 'rotate due or flagged secrets whose policy has onDeploy (deploy pipelines)')
    .option('--next-deploy', 'flag ADDRESS for rotation at the next --on-deploy run instead of rotating now')
    .action(async (address: string | undefined, opts: RotateFlags, cmd: Command) => {
      const modes = [
        address !== undefined && !opts.onDeploy,
        opts.onDeploy === true,
        opts.prefix !== undefined && !opts.onDeploy,
      ];
      if (modes.filter(Boolean).length !== 1 || (address !== undefined && opts.prefix !== undefined))
        throw hushError('GIVE_ONE_ADDRESS_PREFIX_PREFIX');
      if (opts.nextDeploy === true && address === undefined) throw hushError('NEXT_DEPLOY_FLAGS_ONE_SECRET');
      await withRotationApi(cmd, async (api, out) => {
        if (address !== undefined && opts.nextDeploy === true) {
          const state = await api.flag(address);
          emit(out, state, () => `${address} will rotate at the next \`hush rotate --on-deploy\``);
          return;
        }
        if (address !== undefined) {
          const result = await api.rotate(address);
          finishBatch(
            out,
            {
              results: [result],
              rotated: result.outcome === 'rotated' ? 1 : 0,
              failed: result.outcome === 'failed' ? 1 : 0,
            },
            address,
          );
          return;
        }
        if (opts.onDeploy === true) {
          finishBatch(out, await api.onDeploy(opts.prefix), 'no onDeploy secret is due or flagged');
          return;
        }
        finishBatch(
          out,
          await api.rotatePrefix(opts.prefix as string),
          `no policy covers a secret below ${opts.prefix}`,
        );
      });
    });

  withLocalOptions(rotate.command('status'))
    .description('next due time, on-deploy flag and last result of every covered secret')
    .option('--prefix <prefix>', 'only secrets below this prefix')
    .action(async (opts: { prefix?: string }, cmd: Command) => {
      await withRotationApi(cmd, async (api, out) => {
        const entries = await api.status(opts.prefix);
        emit(out, { entries }, () =>
          entries.length === 0
            ? 'no secret is covered by a rotation policy'
            : table(
                ['SECRET', 'NEXT DUE', 'DUE', 'FLAGGED', 'LAST', 'POLICY'],
                entries.map((e) => [
                  e.path,
                  e.nextDueAt,
                  e.due ? 'yes' : 'no',
                  e.flagged ? 'yes' : 'no',
                  e.last ? `${e.last.outcome} ${e.last.at}${e.last.code ? ` ${e.last.code}` : ''}` : '-',
                  `${e.policy.kind} ${e.policy.target}`,
                ]),
              ),
        );
      });
    });

  registerRotatePolicy(rotate);
}

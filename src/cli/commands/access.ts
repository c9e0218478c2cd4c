import type { Command } from 'commander';
import { emit, table } from '../io/output.js';
import { remoteContext } from '../remote/request.js';

/** `hush access who-can CAP PATH`: every live token and login role allowed CAP on PATH now (access review). */
export function registerAccess(program: Command): void {
  const access = program.command('access').description('review who can do what on a Hush server');
  access
    .command('who-can <capability> <path>')
    .description('list live tokens and login roles allowed <capability> on <path>, with the granting rule')
    .action(async (capability: string, path: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.access.whoCan({ capability, path });
      emit(ctx, res, () =>
        res.holders.length === 0
          ? `nobody can ${capability} ${path}`
          : table(
              ['KIND', 'NAME', 'IDENTITY', 'GRANTED BY'],
              res.holders.map((h) => [
                h.kind,
                h.name,
                h.identity,
                h.rule ? `rule ${h.rule.index} of policy "${h.rule.policy}" (${h.rule.path})` : h.reason,
              ]),
            ),
      );
    });
}

import type { Command } from 'commander';
import type { AccessHolder } from '../../identity/access-review.js';
import { emit, table } from '../io/output.js';
import { remoteContext, remoteRequest } from '../remote/request.js';

/** `hush access who-can CAP PATH`: every live token and login role allowed CAP on PATH now (access review). */
export function registerAccess(program: Command): void {
  const access = program.command('access').description('review who can do what on a Hush server');
  access
    .command('who-can <capability> <path>')
    .description('list live tokens and login roles allowed <capability> on <path>, with the granting rule')
    .action(async (capability: string, path: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await remoteRequest<{ holders: AccessHolder[] }>(
        ctx.target,
        'POST',
        '/v1/sys/access/who-can',
        {
          path,
          capability,
        },
      );
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

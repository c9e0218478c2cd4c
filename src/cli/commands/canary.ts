import type { Command } from 'commander';
import { emit, table } from '../io/output.js';
import { remoteContext } from '../remote/request.js';

/** `hush canary create|list|delete`: decoy secrets and tokens whose every touch raises a critical alert (server). */
export function registerCanary(program: Command): void {
  const canary = program
    .command('canary')
    .description('decoy secrets and tokens: any read or use raises a critical alert (server)');

  canary
    .command('create')
    .description('a decoy secret at --path, or (without --path) a decoy hush_ token printed once, to plant')
    .argument('<name>', 'a name for the canary (shown in its alerts), e.g. wiki-deploy-token')
    .option('--path <path>', 'store a decoy secret at this path (e.g. payments/prod/legacy-admin)')
    .action(async (name: string, opts: { path?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const created = await ctx.client.canaries.create({ name, ...(opts.path ? { path: opts.path } : {}) });
      emit(ctx, created, () =>
        created.token
          ? `${created.token}\n(canary "${created.name}": plant this token where an intruder would look; it is shown only now)`
          : `canary "${created.name}": a decoy secret now sits at ${created.path}; any read of it alerts`,
      );
    });

  canary
    .command('list')
    .description('list canaries (never their tokens)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const { canaries } = await ctx.client.canaries.list();
      emit(ctx, { canaries }, () =>
        canaries.length === 0
          ? 'no canaries'
          : table(
              ['NAME', 'KIND', 'PATH', 'CREATED', 'BY'],
              canaries.map((c) => [c.name, c.kind, c.path ?? '-', c.createdAt, c.createdBy]),
            ),
      );
    });

  canary
    .command('delete')
    .description("delete a canary (a path canary's decoy secret is destroyed with it)")
    .argument('<name>', 'the canary name')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const gone = await ctx.client.canaries.delete(name);
      emit(ctx, gone, () => `deleted canary "${gone.name}"`);
    });
}

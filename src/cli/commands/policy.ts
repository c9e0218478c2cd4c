import type { Command } from 'commander';
import type { PolicyWrite } from '../../client/api-types.js';
import type { TokenExplanation } from '../../identity/access-review.js';
import { emit } from '../io/output.js';
import { readDocument } from '../io/read-document.js';
import { remoteContext } from '../remote/request.js';
import { registerPolicySimulate } from './policy-simulate.js';

/** Human rendering of an explanation: the decision (naming the deciding rule), then every other rule considered. */
export function describeExplanation(e: TokenExplanation): string {
  const decisive = e.decision.matchedRule;
  const others = e.rules.filter(
    (r) => !(decisive && r.policy === decisive.policy && r.index === decisive.index),
  );
  return [e.decision.reason, ...others.map((r) => `  ${r.why}`)].join('\n');
}

/** `hush policy write|read|list|delete|explain` against a server (HUSH_ADDR, HUSH_TOKEN). */
export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('manage and explain access policies on a Hush server');

  policy
    .command('write <name> <file>')
    .description('create or replace a policy from a YAML/JSON file (- for stdin)')
    .action(async (name: string, file: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const doc = await readDocument(file, 'policy');
      // Parsed but unchecked: the server validates it and answers one coded error naming the first problem.
      const saved = await ctx.client.policies.write(name, doc as PolicyWrite);
      emit(
        ctx,
        saved,
        () =>
          `wrote policy "${saved.name}" (${saved.rules.length} ${saved.rules.length === 1 ? 'rule' : 'rules'})`,
      );
    });

  policy
    .command('read <name>')
    .description('print a policy document (YAML, or JSON with --json)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const doc = await ctx.client.policies.read(name);
      const { stringify: stringifyYaml } = await import('yaml');
      emit(ctx, doc, () => stringifyYaml(doc));
    });

  policy
    .command('list')
    .description('list policy names')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.policies.list();
      emit(ctx, res, () => res.policies.join('\n'));
    });

  policy
    .command('delete <name>')
    .description('delete a policy (tokens naming it lose what it granted)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      await ctx.client.policies.delete(name);
      emit(ctx, { deleted: name }, () => `deleted policy "${name}"`);
    });

  policy
    .command('explain <path> <capability>')
    .description('why a token is allowed or denied <capability> on <path> (default: HUSH_TOKEN itself)')
    .option('--token <token>', 'the token to explain (prefer --accessor: argv ends up in shell history)')
    .option('--accessor <accessor>', 'the token to explain, by accessor')
    .action(
      async (path: string, capability: string, opts: { token?: string; accessor?: string }, cmd: Command) => {
        const ctx = remoteContext(cmd);
        const who = opts.token ? { token: opts.token } : opts.accessor ? { accessor: opts.accessor } : {};
        const e = await ctx.client.policies.explain({ ...who, path, capability });
        emit(ctx, e, () => describeExplanation(e));
      },
    );

  registerPolicySimulate(policy);
}

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { PolicyWrite } from '../../client/api-types.js';
import { HushError } from '../../core/errors/hush-error.js';
import type { TokenExplanation } from '../../identity/access-review.js';
import { emit } from '../io/output.js';
import { readStream } from '../io/read-stream.js';
import { remoteContext } from '../remote/request.js';

/** Policies are small; anything bigger than this is a mistake (wrong file). */
const MAX_POLICY_BYTES = 1 << 20;

async function readDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text =
      file === '-'
        ? (await readStream(process.stdin, MAX_POLICY_BYTES, 'the policy on standard input')).toString('utf8')
        : await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof HushError) throw err;
    const code = (err as { code?: unknown }).code;
    throw new HushError(
      'HUSH_E_USAGE',
      `cannot read policy file ${file}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  // yaml is loaded on use: only the policy commands need it, not every CLI start.
  const { parse: parseYaml } = await import('yaml');
  try {
    return parseYaml(text); // YAML is a superset of JSON: either works
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `policy file ${file} is not valid YAML or JSON${line ? ` (line ${line})` : ''}`,
    );
  }
}

/** Human rendering of an explanation: the decision, then every rule considered. */
export function describeExplanation(e: TokenExplanation): string {
  return [e.decision.reason, ...e.rules.map((r) => `  ${r.why}`)].join('\n');
}

/** `hush policy write|read|list|delete|explain` against a server (HUSH_ADDR, HUSH_TOKEN). */
export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('manage and explain access policies on a Hush server');

  policy
    .command('write <name> <file>')
    .description('create or replace a policy from a YAML/JSON file (- for stdin)')
    .action(async (name: string, file: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const doc = await readDocument(file);
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
}

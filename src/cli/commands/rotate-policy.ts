import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { formatDuration } from '../../identity/duration.js';
import type { RotationPolicy } from '../../rotation/index.js';
import { emit, table } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { withRotationApi } from './rotate-api.js';

interface PolicyFlags {
  path?: string;
  prefix?: string;
  interval?: string;
  generate?: string;
  generatorOptions?: string;
  hookCommand?: string;
  hookUrl?: string;
  hookTimeout?: string;
  rotator?: string;
  connection?: string;
  role?: string;
  onDeploy?: boolean;
  file?: string;
}

/** `--path P` or `--prefix P` (exactly one), as the policy key. */
function targetOf(opts: PolicyFlags): { kind: RotationPolicy['kind']; target: string } {
  if ((opts.path === undefined) === (opts.prefix === undefined))
    throw hushError('GIVE_EXACTLY_ONE_PATH_ADDRESS');
  return opts.path !== undefined
    ? { kind: 'path', target: opts.path }
    : { kind: 'prefix', target: opts.prefix as string };
}

function hookOf(opts: PolicyFlags): Record<string, unknown> | undefined {
  if (opts.hookCommand !== undefined && opts.hookUrl !== undefined)
    throw hushError('GIVE_HOOK_COMMAND_HOOK_URL');
  const timeout = opts.hookTimeout === undefined ? {} : { timeoutMs: Number(opts.hookTimeout) * 1000 };
  if (opts.hookTimeout !== undefined && !/^[1-9][0-9]{0,2}$/.test(opts.hookTimeout))
    throw hushError('FLAG_NOT_WHOLE_NUMBER', {
      flag: '--hook-timeout',
      range: 'of seconds 1..600',
      text: opts.hookTimeout.slice(0, 20),
    });
  if (opts.hookUrl !== undefined) return { url: opts.hookUrl, ...timeout };
  if (opts.hookCommand === undefined) return undefined;
  let argv: unknown;
  try {
    argv = JSON.parse(opts.hookCommand);
  } catch {
    argv = undefined;
  }
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string'))
    throw hushError('HOOK_COMMAND_TAKES_JSON_ARRAY');
  return { command: argv, ...timeout };
}

async function policyInput(opts: PolicyFlags): Promise<Record<string, unknown>> {
  let base: Record<string, unknown> = {};
  if (opts.file !== undefined) {
    const { parse } = await import('yaml');
    let text: string;
    try {
      text = await readFile(opts.file, 'utf8');
    } catch (err) {
      throw hushError('CANNOT_READ_FILE_VALUE', {
        file: opts.file,
        value: (err as NodeJS.ErrnoException).code ?? 'error',
      });
    }
    const doc: unknown = parse(text);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
      throw hushError('MUST_HOLD_ONE_POLICY_OBJECT', { file: opts.file });
    base = doc as Record<string, unknown>;
  }
  const generator = generatorOf(opts);
  const hook = hookOf(opts);
  return {
    ...base,
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}),
    ...(opts.interval !== undefined ? { interval: opts.interval } : {}),
    ...(generator ? { generator } : {}),
    ...(hook ? { hook } : {}),
    ...(opts.rotator !== undefined ? { rotator: opts.rotator } : {}),
    ...(opts.connection !== undefined ? { connection: opts.connection } : {}),
    ...(opts.role !== undefined ? { role: opts.role } : {}),
    ...(opts.onDeploy === true ? { onDeploy: true } : {}),
  };
}

/** `--generate KIND [--generator-options JSON]`; the server (or local engine) validates them by a dry run. */
function generatorOf(opts: PolicyFlags): Record<string, unknown> | undefined {
  if (opts.generate === undefined) {
    if (opts.generatorOptions !== undefined) throw hushError('GENERATOR_OPTIONS_NEEDS_GENERATE_KIND');
    return undefined;
  }
  if (opts.generatorOptions === undefined) return { kind: opts.generate };
  let options: unknown;
  try {
    options = JSON.parse(opts.generatorOptions);
  } catch {
    options = undefined;
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw hushError('GENERATOR_OPTIONS_TAKES_JSON_OBJECT');
  if ('passphrase' in options) throw hushError('KEY_PASSPHRASE_CANNOT_PART_ROTATION');
  return { kind: opts.generate, options };
}

/** One line per policy for humans. */
export function describePolicy(p: RotationPolicy): string {
  const hook = p.hook ? ('url' in p.hook ? ` hook=${p.hook.url}` : ` hook=${p.hook.command[0]}`) : '';
  const pg = p.rotator === 'postgres-role' ? ` role=${p.role} connection=${p.connection}` : '';
  return `${p.kind} ${p.target}: every ${formatDuration(p.intervalMs)}, ${p.rotator} (${p.generator.kind})${pg}${hook}${p.onDeploy ? ', on deploy' : ''}`;
}

/** `hush rotate policy set|get|list|delete`. */
export function registerRotatePolicy(rotate: Command): void {
  const policy = rotate
    .command('policy')
    .description('rotation policies per secret or prefix (stored encrypted)');
  const target = (c: Command) =>
    withLocalOptions(c)
      .option('--path <address>', 'the policy of one secret')
      .option('--prefix <prefix>', 'the policy of every secret below a prefix');

  const set = target(policy.command('set'))
    .description('create or replace a policy (flags override --file)')
    .option('--interval <duration>', 'rotate every e.g. 30d, 12h')
    .option('--generate <kind>', 'generator: password (default), bytes, api-key, uuid, keypair, ssh-key')
    .option(
      '--generator-options <json>',
      'generator options as JSON, e.g. \'{"length":32}\' (see docs/generate.md)',
    )
    .option(
      '--hook-command <json-argv>',
      'run this argv (no shell) with the new value on stdin before promotion',
    )
    .option('--hook-url <url>', 'POST {path, version} here before promotion (https, or http to loopback)')
    .option('--hook-timeout <seconds>', 'hook time limit (default 30)')
    .option('--rotator <name>', 'generate (default) or postgres-role')
    .option('--connection <address>', 'postgres-role: secret holding the admin postgres:// URL')
    .option('--role <name>', 'postgres-role: the role whose password rotates')
    .option('--on-deploy', 'rotate on `hush rotate --on-deploy` when due or flagged')
    .option('--file <file>', 'read the policy from a YAML/JSON file');
  set.action(async (opts: PolicyFlags, cmd: Command) => {
    const input = await policyInput(opts);
    await withRotationApi(cmd, async (api, out) => {
      const saved = await api.setPolicy(input);
      emit(out, saved, () => `saved rotation policy: ${describePolicy(saved)}`);
    });
  });

  target(policy.command('get'))
    .description('show the policy stored for a path or prefix')
    .action(async (opts: PolicyFlags, cmd: Command) => {
      const { kind, target: t } = targetOf(opts);
      await withRotationApi(cmd, async (api, out) => {
        const found = await api.getPolicy(kind, t);
        emit(out, found, () => describePolicy(found));
      });
    });

  withLocalOptions(policy.command('list'))
    .description('list every rotation policy')
    .action(async (_opts: unknown, cmd: Command) => {
      await withRotationApi(cmd, async (api, out) => {
        const all = await api.listPolicies();
        emit(out, { policies: all }, () =>
          all.length === 0
            ? 'no rotation policies'
            : table(
                ['KIND', 'TARGET', 'EVERY', 'ROTATOR', 'HOOK', 'ON DEPLOY'],
                all.map((p) => [
                  p.kind,
                  p.target,
                  formatDuration(p.intervalMs),
                  p.rotator,
                  p.hook ? ('url' in p.hook ? 'url' : 'command') : '-',
                  p.onDeploy ? 'yes' : 'no',
                ]),
              ),
        );
      });
    });

  target(policy.command('delete'))
    .description('delete the policy of a path or prefix (secrets and their versions are kept)')
    .action(async (opts: PolicyFlags, cmd: Command) => {
      const { kind, target: t } = targetOf(opts);
      await withRotationApi(cmd, async (api, out) => {
        await api.deletePolicy(kind, t);
        emit(out, { deleted: true, kind, target: t }, () => `deleted the rotation policy of ${kind} ${t}`);
      });
    });
}

import type { Command } from 'commander';
import type { AppRoleView, AppRoleWrite } from '../../client/auth-roles-api.js';
import { hushError } from '../../core/errors/index.js';
import { formatDuration } from '../../identity/duration.js';
import { emit, table } from '../io/output.js';
import { remoteContext } from '../remote/request.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function countOf(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0)
    throw hushError('FLAG_NOT_WHOLE_NUMBER', { flag, range: '>= 0 (0: no limit)', text });
  return n;
}

const limit = (seconds: number, none: string) => (seconds > 0 ? formatDuration(seconds * 1000) : none);

/** Human rendering of a role (never its role id or secret ids). */
function describeRole(r: AppRoleView): string {
  return table(
    ['FIELD', 'VALUE'],
    [
      ['name', r.name],
      ['policies', r.policies.join(', ') || '(none)'],
      ['secret id ttl', limit(r.secretIdTtlSeconds, 'server default (30d)')],
      ['secret id uses', r.secretIdNumUses > 0 ? String(r.secretIdNumUses) : 'unlimited'],
      ['token ttl', limit(r.tokenTtlSeconds, 'server default')],
      ['token max ttl', limit(r.tokenMaxTtlSeconds, 'server maximum')],
      ['token uses', r.tokenNumUses > 0 ? String(r.tokenNumUses) : 'unlimited'],
      ['cidrs', r.cidrs.join(', ') || '(anywhere)'],
    ],
  );
}

interface RoleFlags {
  policy: string[];
  secretIdTtl?: string;
  secretIdUses?: string;
  tokenTtl?: string;
  tokenMaxTtl?: string;
  tokenUses?: string;
  cidr: string[];
}

function roleBody(opts: RoleFlags): AppRoleWrite {
  const secretIdUses = countOf('--secret-id-uses', opts.secretIdUses);
  const tokenUses = countOf('--token-uses', opts.tokenUses);
  return {
    policies: opts.policy,
    ...(opts.secretIdTtl ? { secretIdTtl: opts.secretIdTtl } : {}),
    ...(secretIdUses === undefined ? {} : { secretIdNumUses: secretIdUses }),
    ...(opts.tokenTtl ? { tokenTtl: opts.tokenTtl } : {}),
    ...(opts.tokenMaxTtl ? { tokenMaxTtl: opts.tokenMaxTtl } : {}),
    ...(tokenUses === undefined ? {} : { tokenNumUses: tokenUses }),
    ...(opts.cidr.length > 0 ? { cidrs: opts.cidr } : {}),
  };
}

/** `hush approle role write|read|list|delete|role-id` and `hush approle secret-id create|list|revoke`. */
export function registerApprole(program: Command): void {
  const approle = program
    .command('approle')
    .description('manage AppRole roles (machine logins) and their secret ids on a Hush server');
  const role = approle.command('role').description('create, read, list and delete AppRole roles');

  role
    .command('write <name>')
    .description('create or replace a role (replaces every setting; its role id is kept)')
    .requiredOption('--policy <name>', 'policy of the tokens its logins get (repeatable)', collect, [])
    .option('--secret-id-ttl <duration>', 'how long a new secret id lives (default 30d)')
    .option('--secret-id-uses <n>', 'logins per secret id (default 0: no limit)')
    .option('--token-ttl <duration>', 'TTL of login tokens (default: the server default, 1h)')
    .option('--token-max-ttl <duration>', 'max TTL of login tokens')
    .option('--token-uses <n>', 'use limit of login tokens (default 0: no limit)')
    .option(
      '--cidr <cidr>',
      'allow logins only from this network (repeatable; default: anywhere)',
      collect,
      [],
    )
    .action(async (name: string, opts: RoleFlags, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const saved = await ctx.client.approle.writeRole(name, roleBody(opts));
      emit(ctx, saved, () => `wrote AppRole role "${saved.name}"\n${describeRole(saved)}`);
    });

  role
    .command('read <name>')
    .description("print a role's settings (not its role id: see role-id)")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const r = await ctx.client.approle.readRole(name);
      emit(ctx, r, () => describeRole(r));
    });

  role
    .command('list')
    .description('list AppRole role names')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.approle.listRoles();
      emit(ctx, res, () => res.roles.join('\n'));
    });

  role
    .command('delete <name>')
    .description(
      'delete a role, its role id and every secret id it issued (tokens it issued live until they expire)',
    )
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      await ctx.client.approle.deleteRole(name);
      emit(
        ctx,
        { deleted: name },
        () =>
          `deleted AppRole role "${name}" and its secret ids; revoke the tokens it issued with hush incident revoke --identity approle:${name}`,
      );
    });

  role
    .command('role-id <name>')
    .description("print a role's role id (public, like a user name; needs read on .../role-id)")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.approle.roleId(name);
      emit(ctx, res, () => res.roleId);
    });

  const secretId = approle.command('secret-id').description('issue, list and revoke secret ids');

  secretId
    .command('create <role>')
    .description('issue a secret id for a role (printed once)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const issued = await ctx.client.approle.createSecretId(name);
      const notice =
        'this secret id is shown only now; hand it to the machine safely (lists show its accessor, never the secret id)';
      emit(
        ctx,
        { ...issued, notice },
        () =>
          `secret id  ${issued.secretId}\naccessor   ${issued.accessor}\nexpires    ${issued.expiresAt ?? 'never'}\nuses       ${issued.usesRemaining ?? 'unlimited'}\n\nNote: ${notice}`,
      );
    });

  secretId
    .command('list <role>')
    .description("list a role's live secret ids by accessor (never the secret ids)")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.approle.listSecretIds(name);
      emit(ctx, res, () =>
        res.secretIds.length === 0
          ? `role "${name}" has no live secret ids`
          : table(
              ['ACCESSOR', 'CREATED', 'EXPIRES', 'USES LEFT'],
              res.secretIds.map((s) => [
                s.accessor,
                s.createdAt,
                s.expiresAt ?? 'never',
                s.usesRemaining === null ? 'unlimited' : String(s.usesRemaining),
              ]),
            ),
      );
    });

  secretId
    .command('revoke <role> <accessor>')
    .description(
      'revoke a secret id by accessor (--destroy: delete its row instead of keeping it as revoked)',
    )
    .option('--destroy', 'delete the secret id outright (a later login with it reads as unknown)')
    .action(async (name: string, accessor: string, opts: { destroy?: boolean }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      if (opts.destroy) await ctx.client.approle.destroySecretId(name, accessor);
      else await ctx.client.approle.revokeSecretId(name, accessor);
      const done = opts.destroy ? 'destroyed' : 'revoked';
      emit(ctx, { [done]: accessor, role: name }, () => `${done} secret id ${accessor} of role "${name}"`);
    });
}

import type { Command } from 'commander';
import type { JwtRoleView } from '../../client/auth-roles-api.js';
import { hushError } from '../../core/errors/index.js';
import { formatDuration } from '../../identity/duration.js';
import { emit, table } from '../io/output.js';
import { readDocument } from '../io/read-document.js';
import { remoteContext } from '../remote/request.js';

/** Human rendering of a JWT role (key material is summarised by where it comes from). */
function describeJwtRole(r: JwtRoleView): string {
  return table(
    ['FIELD', 'VALUE'],
    [
      ['name', r.name],
      ['policies', r.policies.join(', ') || '(none)'],
      ['bound issuer', r.boundIssuer],
      ['bound audiences', r.boundAudiences.join(', ')],
      ['bound claims', JSON.stringify(r.boundClaims)],
      ['user claim', r.userClaim],
      ['keys', r.jwksUrl ?? r.oidcDiscoveryUrl ?? `${r.keys} (inline)`],
      ['token ttl', r.tokenTtlSeconds > 0 ? formatDuration(r.tokenTtlSeconds * 1000) : 'server default'],
      [
        'token max ttl',
        r.tokenMaxTtlSeconds > 0 ? formatDuration(r.tokenMaxTtlSeconds * 1000) : 'server maximum',
      ],
      ['clock skew', `${r.clockSkewSeconds}s`],
    ],
  );
}

/** `hush jwt role write|read|list|delete`: JWT login roles on a Hush server. */
export function registerJwt(program: Command): void {
  const jwt = program
    .command('jwt')
    .description('manage JWT login roles (CI systems, Kubernetes) on a Hush server');
  const role = jwt.command('role').description('create, read, list and delete JWT roles');

  role
    .command('write <name> <file>')
    .description(
      'create or replace a role from a YAML/JSON file of its fields (- for stdin; see docs/identity.md)',
    )
    .action(async (name: string, file: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const doc = await readDocument(file, 'JWT role');
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
        throw hushError('JWT_ROLE_FILE_MUST_HOLD', { file });
      const saved = await ctx.client.jwt.writeRole(name, doc as Record<string, unknown>);
      emit(ctx, saved, () => `wrote JWT role "${saved.name}"\n${describeJwtRole(saved)}`);
    });

  role
    .command('read <name>')
    .description("print a role's settings (inline key material is not shown)")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const r = await ctx.client.jwt.readRole(name);
      emit(ctx, r, () => describeJwtRole(r));
    });

  role
    .command('list')
    .description('list JWT role names')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.jwt.listRoles();
      emit(ctx, res, () => res.roles.join('\n'));
    });

  role
    .command('delete <name>')
    .description('delete a role: later logins with it fail (tokens it issued live until they expire)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      await ctx.client.jwt.deleteRole(name);
      emit(
        ctx,
        { deleted: name },
        () =>
          `deleted JWT role "${name}"; revoke the tokens it issued with hush incident revoke --identity jwt:${name}:SUBJECT`,
      );
    });
}

import type { Command } from 'commander';
import { emit, table } from '../io/output.js';
import { remoteContext } from '../remote/request.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `hush aws keys create|list|revoke`: access keys for AWS SDKs and the AWS CLI (`--endpoint-url $HUSH_ADDR/v1/aws`). */
export function registerAws(program: Command): void {
  const aws = program
    .command('aws')
    .description('AWS-compatible endpoint (Secrets Manager, KMS): access keys');
  const keys = aws.command('keys').description('AWS access keys bound to Hush tokens and policies');

  keys
    .command('create')
    .description('issue an access key bound to a new token; the secret access key is printed once')
    .option('--policy <name>', "policy of the bound token (repeatable; default: the caller token's)", collect)
    .option('--ttl <duration>', "lifetime of the key and its token (default: the server's token maximum)")
    .option('--description <text>', 'what the key is for')
    .action(async (opts: { policy?: string[]; ttl?: string; description?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const created = await ctx.client.aws.createKey({
        ...(opts.policy ? { policies: opts.policy } : {}),
        ...(opts.ttl ? { ttl: opts.ttl } : {}),
        ...(opts.description !== undefined ? { description: opts.description } : {}),
      });
      emit(ctx, created, () =>
        [
          `aws_access_key_id = ${created.accessKeyId}`,
          `aws_secret_access_key = ${created.secretAccessKey}`,
          `# identity ${created.identity}, policies ${created.policies.join(',') || '(none)'}, expires ${created.expiresAt ?? 'never'}`,
          '# the secret access key is shown only now; store it in ~/.aws/credentials or your secret manager',
        ].join('\n'),
      );
    });

  keys
    .command('list')
    .description('list access keys (never their secrets)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.aws.listKeys();
      emit(ctx, res, () =>
        table(
          ['ACCESS KEY ID', 'IDENTITY', 'POLICIES', 'EXPIRES', 'DESCRIPTION'],
          res.keys.map((k) => [
            k.accessKeyId,
            k.identity,
            k.policies.join(','),
            k.expiresAt ?? '-',
            k.description,
          ]),
        ),
      );
    });

  keys
    .command('revoke <accessKeyId>')
    .description('revoke an access key and its bound token')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const revoked = await ctx.client.aws.revokeKey(id);
      emit(ctx, revoked, () => `revoked ${revoked.accessKeyId} (token ${revoked.tokenAccessor})`);
    });
}

import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import type { RevokeSummary } from '../../leases/lease-service.js';
import { emit, table } from '../io/output.js';
import { remoteContext } from '../remote/request.js';

/** Print a revocation summary; exit HUSH_E_UPSTREAM when some were only queued (the database was unreachable). */
function reportRevocation(ctx: { json: boolean }, res: RevokeSummary): void {
  emit(ctx, res, () =>
    [
      `revoked ${res.revoked.length} lease(s)${res.revoked.map((id) => `\n  ${id}`).join('')}`,
      ...res.queued.map((q) => `queued ${q.leaseId}: retrying from ${q.nextAttemptAt} (${q.error})`),
    ].join('\n'),
  );
  if (res.queued.length > 0) {
    throw hushError('LEASE_S_COULD_NOT_REVOKED', { length: res.queued.length });
  }
}

/** `hush lease renew|revoke|list` against a server (HUSH_ADDR, HUSH_TOKEN). */
export function registerLease(program: Command): void {
  const lease = program.command('lease').description('renew, revoke and list credential leases');

  lease
    .command('renew <leaseId>')
    .description("extend a lease by --increment (default: the role's TTL), up to its max TTL")
    .option('--increment <duration>', 'how long from now, e.g. 1h')
    .action(async (leaseId: string, opts: { increment?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const view = await ctx.client.leases.renew(
        leaseId,
        opts.increment ? { increment: opts.increment } : {},
      );
      emit(ctx, view, () => `renewed ${view.leaseId}: expires ${view.expireAt} (max ${view.maxExpireAt})`);
    });

  lease
    .command('revoke [leaseId]')
    .description('revoke a lease now, or every lease below --prefix (e.g. creds/main/readonly)')
    .option('--prefix <prefix>', 'revoke every lease whose id starts with this')
    .action(async (leaseId: string | undefined, opts: { prefix?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      if ((leaseId === undefined) === (opts.prefix === undefined)) {
        throw hushError('GIVE_EXACTLY_ONE_LEASE_ID');
      }
      const res = opts.prefix
        ? await ctx.client.leases.revokePrefix(opts.prefix)
        : await ctx.client.leases.revoke(leaseId ?? '');
      reportRevocation(ctx, res);
    });

  lease
    .command('list')
    .description('list live leases (and queued revocations)')
    .option('--prefix <prefix>', 'only leases whose id starts with this', 'creds/')
    .action(async (opts: { prefix: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.leases.list({ prefix: opts.prefix });
      emit(ctx, res, () =>
        res.leases.length === 0
          ? 'no leases'
          : table(
              ['LEASE ID', 'USERNAME', 'EXPIRES', 'STATE'],
              res.leases.map((l) => [
                l.leaseId,
                l.username,
                l.expireAt,
                l.revocation
                  ? `revoking (attempt ${l.revocation.attempts + 1} at ${l.revocation.nextAttemptAt})`
                  : l.state,
              ]),
            ),
      );
    });
}

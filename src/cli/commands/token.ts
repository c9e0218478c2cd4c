import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import type { TokenView } from '../../identity/token-records.js';
import { emit, table } from '../io/output.js';
import { remoteContext } from '../remote/request.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function metadataOf(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw hushError('METADATA_TAKES_KEY_VALUE_GOT', { p: p.slice(0, 80) });
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

function usesOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw hushError('FLAG_NOT_WHOLE_NUMBER', { flag: '--uses', range: '>= 1', text });
  return n;
}

/** Human rendering of a token (never the token text). */
export function describeToken(v: TokenView): string {
  return table(
    ['FIELD', 'VALUE'],
    [
      ['accessor', v.accessor],
      ['identity', v.identity],
      ['display name', v.displayName],
      ['policies', v.policies.join(', ') || '(none)'],
      ['parent', v.parentAccessor ?? '(none)'],
      ['created', v.createdAt],
      ['expires', v.expiresAt ?? 'never'],
      ['max expires', v.maxExpiresAt ?? 'never'],
      ['renewable', String(v.renewable)],
      ['uses left', v.usesRemaining === null ? 'unlimited' : String(v.usesRemaining)],
      ...Object.entries(v.metadata).map(([k, val]) => [`meta ${k}`, val]),
    ],
  );
}

/** `hush token create|lookup|renew|revoke` against a server (HUSH_ADDR, HUSH_TOKEN). */
export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description('create, inspect, renew and revoke tokens on a Hush server');

  token
    .command('create')
    .description('create a child token of HUSH_TOKEN (prints the new token once)')
    .option('--policy <name>', "policy for the new token (repeatable; default: the parent's)", collect, [])
    .option('--ttl <duration>', 'time to live, e.g. 30m, 1h, 7d')
    .option('--max-ttl <duration>', 'renewals never go past this lifetime')
    .option('--uses <n>', 'use limit')
    .option('--display-name <name>', 'label shown in lookups and audit')
    .option('--metadata <key=value>', 'metadata (repeatable)', collect, [])
    .action(
      async (
        opts: {
          policy: string[];
          ttl?: string;
          maxTtl?: string;
          uses?: string;
          displayName?: string;
          metadata: string[];
        },
        cmd: Command,
      ) => {
        const ctx = remoteContext(cmd);
        const uses = usesOf(opts.uses);
        const body = {
          ...(opts.policy.length > 0 ? { policies: opts.policy } : {}),
          ...(opts.ttl ? { ttl: opts.ttl } : {}),
          ...(opts.maxTtl ? { maxTtl: opts.maxTtl } : {}),
          ...(uses ? { numUses: uses } : {}),
          ...(opts.displayName ? { displayName: opts.displayName } : {}),
          ...(opts.metadata.length > 0 ? { metadata: metadataOf(opts.metadata) } : {}),
        };
        const created = await ctx.client.tokens.create(body);
        const notice =
          'this token is shown only now; store it safely (lookups show its accessor, never the token)';
        emit(
          ctx,
          { ...created, notice },
          () =>
            `token     ${created.token}\naccessor  ${created.auth.accessor}\npolicies  ${created.auth.policies.join(', ')}\nexpires   ${created.auth.expiresAt ?? 'never'}\n\nNote: ${notice}`,
        );
      },
    );

  token
    .command('lookup')
    .description('describe HUSH_TOKEN, or another token by --accessor')
    .option('--accessor <accessor>', 'the token to describe')
    .action(async (opts: { accessor?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const view = opts.accessor
        ? await ctx.client.tokens.lookup(opts.accessor)
        : await ctx.client.tokens.lookupSelf();
      emit(ctx, view, () => describeToken(view));
    });

  token
    .command('renew')
    .description('extend HUSH_TOKEN (or --accessor) by its TTL or --increment, up to its max TTL')
    .option('--accessor <accessor>', 'the token to renew')
    .option('--increment <duration>', 'how long from now, e.g. 1h')
    .action(async (opts: { accessor?: string; increment?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const inc = opts.increment ? { increment: opts.increment } : {};
      const view = opts.accessor
        ? await ctx.client.tokens.renew(opts.accessor, inc)
        : await ctx.client.tokens.renewSelf(inc);
      emit(ctx, view, () => `renewed ${view.accessor}: expires ${view.expiresAt ?? 'never'}`);
    });

  token
    .command('revoke')
    .description('revoke HUSH_TOKEN (or --accessor) and every token it created')
    .option('--accessor <accessor>', 'the token to revoke')
    .action(async (opts: { accessor?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = opts.accessor
        ? await ctx.client.tokens.revoke(opts.accessor)
        : await ctx.client.tokens.revokeSelf();
      emit(ctx, res, () => {
        const lines = [`revoked ${res.revoked.length} token(s): ${res.revoked.join(', ') || '(none)'}`];
        if (res.leasesRevoked.length > 0)
          lines.push(
            `revoked ${res.leasesRevoked.length} lease(s) they held: ${res.leasesRevoked.join(', ')}`,
          );
        if (res.leasesQueued.length > 0)
          lines.push(
            `queued ${res.leasesQueued.length} lease revocation(s) (database unreachable; retried until done): ${res.leasesQueued.join(', ')}`,
          );
        if (res.leasesError) lines.push(res.leasesError);
        return lines.join('\n');
      });
      // The tokens are revoked either way; leases left behind are a partial failure scripts must notice.
      if (res.leasesError) process.exitCode = 8;
    });
}

import type { Command } from 'commander';
import type { ApprovalView } from '../../client/approvals-api.js';
import type { ApprovalStatus } from '../../core/approvals/index.js';
import { emit } from '../io/output.js';
import { remoteContext } from '../remote/request.js';
import { intOption } from './transit-input.js';

/** One line per request: id, status, votes, who asked for what. */
function line(r: ApprovalView): string {
  const votes = `${r.grants.length}/${r.required}`;
  return `${r.id}  ${r.status.padEnd(8)} ${votes}  ${r.requester} -> ${r.capability} ${r.path}  (expires ${r.expiresAt})`;
}

/** Every field of a request, for `show` and votes. */
function detail(r: ApprovalView): string {
  const rows = [
    `id:         ${r.id}`,
    `status:     ${r.status}`,
    `requester:  ${r.requester}`,
    `subject:    ${r.capability} on ${r.path}`,
    `approvals:  ${r.grants.length} of ${r.required}`,
    ...(r.reason ? [`reason:     ${r.reason}`] : []),
    // What the approval covers: one exact request (batch) when pinned, any one use when not.
    `covers:     ${r.requestDigest ? `only the request with digest ${r.requestDigest}` : 'any one use (not pinned)'}`,
    `created:    ${r.createdAt}`,
    `expires:    ${r.expiresAt}`,
    ...r.grants.map((g) => `granted by ${g.approver} at ${g.at}${g.comment ? `: ${g.comment}` : ''}`),
    ...(r.denial ? [`denied by ${r.denial.approver} at ${r.denial.at}`] : []),
    ...(r.usedAt ? [`used at ${r.usedAt}`] : []),
  ];
  return rows.join('\n');
}

/** `hush approve ...`: the two-person rule (a policy rule with `approvals: N`), requests and votes. */
export function registerApprove(program: Command): void {
  const approve = program
    .command('approve')
    .description('approval requests: ask, list, show, grant, deny (the two-person rule)');

  approve
    .command('request <path>')
    .description('ask for approval to use a capability a policy rule guards with "approvals"')
    .requiredOption('--capability <cap>', 'the capability to use, e.g. read or sign')
    .option('--reason <text>', 'why (shown to approvers)')
    .option('--ttl <seconds>', 'how long the request and then the approval live (default 3600)')
    .option('--digest <sha256:hex>', 'pin the approval to the one request with this requestDigest (a batch)')
    .action(
      async (
        path: string,
        opts: { capability: string; reason?: string; ttl?: string; digest?: string },
        cmd: Command,
      ) => {
        const ctx = remoteContext(cmd);
        const ttlSeconds = intOption(opts.ttl, '--ttl');
        const made = await ctx.client.approvals.request({
          path,
          capability: opts.capability,
          ...(opts.reason ? { reason: opts.reason } : {}),
          ...(opts.digest ? { requestDigest: opts.digest } : {}),
          ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
        });
        emit(ctx, made, () => made.id);
      },
    );

  approve
    .command('list')
    .description('requests you made or may approve, newest first')
    .option('--status <status>', 'pending, approved, denied, used or expired')
    .action(async (opts: { status?: ApprovalStatus }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.approvals.list(opts.status);
      emit(ctx, res, () => (res.requests.length ? res.requests.map(line).join('\n') : '(no requests)'));
    });

  approve
    .command('show <id>')
    .description('one request: subject, votes, status')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const r = await ctx.client.approvals.show(id);
      emit(ctx, r, () => detail(r));
    });

  for (const kind of ['grant', 'deny'] as const) {
    approve
      .command(`${kind} <id>`)
      .description(kind === 'grant' ? 'approve a request (never your own)' : 'deny a request (closes it)')
      .option('--comment <text>', 'recorded with your vote')
      .action(async (id: string, opts: { comment?: string }, cmd: Command) => {
        const ctx = remoteContext(cmd);
        const r = await ctx.client.approvals[kind](id, opts.comment);
        emit(ctx, r, () => detail(r));
      });
  }
}

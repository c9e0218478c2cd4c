import type { Command } from 'commander';
import type { PolicyWrite } from '../../client/api-types.js';
import type { PolicySimulationReport } from '../../client/policy-simulation-types.js';
import { emit } from '../io/output.js';
import { readDocument } from '../io/read-document.js';
import { remoteContext } from '../remote/request.js';

/** Human rendering of a simulation: one line per flip (when, who, what, before -> after, deciding rule), then counts. */
export function describeSimulation(r: PolicySimulationReport): string {
  const lines = r.flips.map((f) => {
    const who = f.identity ?? '(unknown)';
    const arrow = f.after.allowed ? 'denied -> ALLOWED' : 'allowed -> DENIED';
    const rule = (f.after.allowed ? f.after.rule : f.before.rule) ?? f.before.rule ?? f.after.rule;
    const by = rule ? ` (rule ${rule.index} of "${rule.policy}", path "${rule.path}")` : '';
    const asOf = f.policiesAsOf === 'current' ? ' [token policies as of now]' : '';
    return `${f.time}  ${who}  ${f.capability} ${f.path}  ${arrow}${by}${asOf}`;
  });
  const c = r.counts;
  lines.push(
    `${c.nowDenied} would be denied, ${c.nowAllowed} would be allowed; ${c.evaluated} requests replayed ` +
      `(${c.affected} by tokens holding "${r.name}"), ${r.skipped} not replayable, ${r.scanned} records read ` +
      `from ${r.since} to ${r.until}${r.truncated ? '; flips list truncated' : ''}`,
  );
  return lines.join('\n');
}

/** `hush policy simulate DRAFT_FILE --name NAME --since 7d`: which past requests a draft policy would flip. */
export function registerPolicySimulate(policy: Command): void {
  policy
    .command('simulate <draft-file>')
    .description(
      'replay the audit trail of a period against a draft policy (YAML/JSON file, - for stdin) and list the requests that would flip',
    )
    .requiredOption('--name <name>', 'the policy the draft replaces (or adds)')
    .requiredOption('--since <when>', 'start of the period: ISO-8601 or a duration ago (7d, 12h)')
    .option('--until <when>', 'end of the period (default: now)')
    .action(async (file: string, opts: { name: string; since: string; until?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const doc = await readDocument(file, 'policy');
      // Parsed but unchecked: the server validates the draft and answers one coded error naming the problem.
      const report = await ctx.client.policies.simulate({
        name: opts.name,
        policy: doc as PolicyWrite,
        since: opts.since,
        ...(opts.until ? { until: opts.until } : {}),
      });
      emit(ctx, report, () => describeSimulation(report));
    });
}

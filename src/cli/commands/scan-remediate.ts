import type { LeakReport, RemediationResult } from '../../client/api-types.js';
import { hasLeasePasswordShape } from '../../engines/postgres/pg-credentials.js';
import { isWellFormedHushToken } from '../../scan/checksum/hush-token.js';
import type { Finding } from '../../scan/engine/types.js';
import type { KnownCollector, KnownMatches } from '../../scan/known/known-collector.js';

/** What to send to `POST /v1/sys/remediate`: each stored path and each token, with every place it was seen. */
export function leakReport(
  collector: KnownCollector,
  matches: KnownMatches,
  findings: readonly Finding[],
  apply: boolean,
): LeakReport {
  const byPath = new Map<string, Set<string>>();
  for (const [value, paths] of matches) {
    for (const path of paths) {
      const set = byPath.get(path) ?? new Set<string>();
      for (const w of collector.where(value)) set.add(w);
      byPath.set(path, set);
    }
  }
  // The catalogue's hush-token rule reports tokens; the checksum keeps a look-alike from being sent.
  const tokens = [...new Set(findings.map((f) => f.secret).filter(isWellFormedHushToken))];
  // A candidate of a lease password's shape may be a dynamic credential this server issued (a password alone in a
  // file is often no rule's finding): the server looks it up by its keyed digest and revokes the lease. Values
  // matched as stored secrets are already handled by path.
  const credentials = collector.values().filter((v) => hasLeasePasswordShape(v) && !matches.has(v));
  return {
    apply,
    secrets: [...byPath].map(([path, where]) => ({ path, where: [...where].slice(0, 100) })),
    tokens: tokens.map((token) => ({ token, where: collector.where(token).slice(0, 100) })),
    credentials: credentials.map((value) => ({ value, where: collector.where(value).slice(0, 100) })),
  };
}

const VERB: Record<string, [string, string]> = {
  rotate: ['would rotate', 'rotated'],
  revoke: ['would revoke', 'revoked'],
  manual: ['BY HAND', 'BY HAND'],
  failed: ['FAILED', 'FAILED'],
};

/** The remediation report for people (stderr): one line per action, the runbook step under what needs a human. */
export function humanRemediation(r: RemediationResult): string {
  const head = r.dryRun
    ? `hush: remediation plan (dry run; add --yes to act), ${r.actions.length} action(s):`
    : `hush: remediation done, incident ${r.incident} (in the audit trail and the alerts):`;
  const lines = [head];
  for (const a of r.actions) {
    const verb = VERB[a.kind]?.[r.dryRun ? 0 : 1] ?? a.kind;
    const extra =
      a.version !== undefined
        ? ` -> version ${a.version}`
        : a.identity
          ? ` (identity ${a.identity}${a.revoked ? `, ${a.revoked.length} token(s)` : ''})`
          : '';
    lines.push(`  ${verb.padEnd(13)} ${a.target}${extra}  leaked at ${a.where.join(', ')}`);
    if (a.reason) lines.push(`                why: ${a.reason}`);
    if (a.step) lines.push(`                do by hand: ${a.step}`);
  }
  if (r.actions.length === 0)
    lines.push('  nothing stored in Hush, no hush_ token and no lease credential was found');
  return `${lines.join('\n')}\n`;
}

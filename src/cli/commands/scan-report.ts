import type { FindingsInput, FindingsReport, ReportedFinding } from '../../client/api-types.js';
import type { Finding } from '../../scan/engine/types.js';
import type { KnownMatches } from '../../scan/known/known-collector.js';

/**
 * What `hush scan --report` sends to `POST /v1/scan/findings`: each finding's fingerprint, rule, file and line, and
 * the stored path its value matched (the first readable one), never the value itself.
 */
export function findingsReport(
  findings: readonly Finding[],
  matches: KnownMatches,
  source: string | undefined,
): FindingsInput {
  const out: ReportedFinding[] = findings.slice(0, 1000).map((f) => {
    const storedPath = matches.get(f.secret)?.[0];
    return {
      fingerprint: f.fingerprint,
      rule: f.ruleId,
      file: f.path.slice(0, 4096),
      line: f.line,
      ...(storedPath ? { storedPath } : {}),
    };
  });
  return { ...(source ? { source: source.slice(0, 256) } : {}), findings: out };
}

/** Send the report to the server at HUSH_ADDR. */
export async function sendFindings(input: FindingsInput): Promise<FindingsReport> {
  const { remoteClientFor, remoteTarget } = await import('../remote/request.js');
  return remoteClientFor(remoteTarget(process.env)).incident.reportFindings(input);
}

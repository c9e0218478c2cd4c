import { KNOWN_RULE_ID } from '../known/known-collector.js';
import type { Rule, Severity } from '../rules/rule.js';
import type { ScanResult } from '../run-scan.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

const SCORE: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.0', low: '2.0' };

/**
 * The artifact URI of a (virtual) location: the file before any `!` (`a.tar!b/c` names `a.tar`), each path segment
 * percent-encoded. `encodeURI` would leave `#` and `?` raw, and a viewer would then read `a#b?.env` as `a` with a
 * fragment.
 */
export function artifactUri(path: string): string {
  const bang = path.indexOf('!');
  const file = bang === -1 ? path : path.slice(0, bang);
  return file.split('/').map(encodeURIComponent).join('/');
}

/** The driver entry of `hush-known-secret` results, which have no catalogue rule (a value found in the store). */
const KNOWN_RULE = {
  id: KNOWN_RULE_ID,
  title: 'Value stored in Hush',
  severity: 'critical',
} as const satisfies Pick<Rule, 'id' | 'title' | 'severity'>;

/**
 * A SARIF 2.1.0 log of a scan (for GitHub code scanning and other viewers). No secret value is included: the
 * message names the rule, and `partialFingerprints` carries the secret's hash so viewers can track it.
 */
export function sarifReport(result: ScanResult, rules: readonly Rule[], version = '0.1.0'): string {
  const used = new Set(result.findings.map((f) => f.ruleId));
  const driverRules: Pick<Rule, 'id' | 'title' | 'severity'>[] = rules.filter((r) => used.has(r.id));
  if (used.has(KNOWN_RULE_ID) && !driverRules.some((r) => r.id === KNOWN_RULE_ID))
    driverRules.push(KNOWN_RULE);
  const index = new Map(driverRules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hush',
            version,
            rules: driverRules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { 'security-severity': SCORE[r.severity], tags: ['security', 'secret'] },
            })),
          },
        },
        // What was skipped or could not be read, so a viewer shows that the scan was not complete.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.warnings.map((w) => ({
              level: 'warning',
              message: { text: `${w.path}: ${w.message}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(w.path) } } }],
            })),
          },
        ],
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          // A custom rule missing from `rules` (a caller's mistake) carries only its ruleId.
          ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
          level: LEVEL[f.severity],
          message: {
            text: `${f.title} (${f.ruleId})${f.layer ? ` inside a ${f.layer} layer` : ''}${f.path.includes('!') ? ` at ${f.path}` : ''}${f.commit ? ` introduced in ${f.commit}` : ''}`,
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(f.path) },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  endLine: f.endLine,
                  endColumn: f.endColumn,
                },
              },
            },
          ],
          partialFingerprints: { 'hush/v1': f.fingerprint },
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

import type { Rule, Severity } from '../rules/rule.js';
import type { ScanResult } from '../run-scan.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

const SCORE: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.0', low: '2.0' };

/** Split a virtual location (`a.tar!b/c`) into the artifact uri and the part inside it. */
function artifactUri(path: string): string {
  const bang = path.indexOf('!');
  return encodeURI(bang === -1 ? path : path.slice(0, bang));
}

/**
 * A SARIF 2.1.0 log of a scan (for GitHub code scanning and other viewers). No secret value is included: the
 * message names the rule, and `partialFingerprints` carries the secret's hash so viewers can track it.
 */
export function sarifReport(result: ScanResult, rules: readonly Rule[], version = '0.1.0'): string {
  const used = new Set(result.findings.map((f) => f.ruleId));
  const driverRules = rules.filter((r) => used.has(r.id));
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
          // Findings without a catalogue rule (hush-known-secret) carry only their ruleId.
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

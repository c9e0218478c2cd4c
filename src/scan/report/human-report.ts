import type { Finding } from '../engine/types.js';
import type { ScanResult } from '../run-scan.js';
import type { ScanPlan } from '../scan-plan.js';
import { maskSecret } from './mask.js';

/**
 * Text from the scanned content or its metadata (file and archive entry names, git authors) made safe for a
 * terminal: control characters (ESC, CR, BEL, C1) and bidirectional overrides are shown as `\xNN`/`\u{NNNN}`, so
 * a hostile name cannot move the cursor, recolour, hide or reorder the report.
 */
export function terminalSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}

/** One finding as a human line: `path:line:col  severity  title  secret` (+ commit/author for history). */
export function humanFinding(f: Finding, reveal: boolean): string {
  const secret = terminalSafe(reveal ? f.secret.replace(/\n/g, '\\n') : maskSecret(f.secret));
  const where = `${terminalSafe(f.path)}:${f.line}:${f.column}`;
  const history = f.commit
    ? `  (commit ${terminalSafe(f.commit.slice(0, 12))} by ${terminalSafe(f.author ?? '?')} on ${terminalSafe(f.date ?? '?')})`
    : '';
  const layer = f.layer ? ` [in ${f.layer}]` : '';
  const fix = f.remediation ? `\n    fix: ${f.remediation}` : '';
  return `${where}  ${f.severity.toUpperCase()}  ${f.title} (${f.ruleId})${layer}  ${secret}${history}${fix}`;
}

/** The human summary printed after the findings. */
export function humanSummary(result: ScanResult): string {
  const mb = result.bytes / 1e6;
  const secs = result.elapsedMs / 1000;
  const lines = [
    `${result.findings.length} finding(s) in ${result.units} item(s), ${mb.toFixed(1)} MB in ${secs.toFixed(2)} s` +
      (result.baselined > 0 ? `; ${result.baselined} suppressed by the baseline` : ''),
  ];
  for (const w of result.warnings) lines.push(`warning: ${terminalSafe(w.path)}: ${terminalSafe(w.message)}`);
  return lines.join('\n');
}

/** Which config file the scan used and who wrote it, as one human line (`config: none` without one). */
export function humanConfig(config: ScanPlan['config']): string {
  if (!config) return 'config: none (built-in rules only)';
  const who = {
    operator: 'operator config',
    repository: "the scanned repository's config, limited",
    'trusted-repository': "the scanned repository's config, trusted by --trust-repo-config",
  }[config.trust];
  const counts = `${config.rules.length} rule(s), ${config.exclude.length} exclude(s), ${config.disable.length} built-in rule(s) disabled`;
  return `config: ${config.path} (${who}; ${counts})`;
}

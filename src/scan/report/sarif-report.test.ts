import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../engine/fingerprint.js';
import type { Finding } from '../engine/types.js';
import { KNOWN_RULE_ID } from '../known/known-collector.js';
import { ALL_RULES as RULES } from '../rules/index.js';
import type { ScanResult } from '../run-scan.js';
import { sarifReport } from './sarif-report.js';

const rule = RULES[0];
if (!rule) throw new Error('the catalogue has rules');

const finding = (over: Partial<Finding>): Finding => {
  const ruleId = over.ruleId ?? rule.id;
  const secret = over.secret ?? 'not-a-real-secret-0123456789';
  return {
    ruleId,
    title: 'A finding',
    severity: 'critical',
    path: 'src/app.env',
    line: 1,
    column: 3,
    endLine: 1,
    endColumn: 20,
    secret,
    fingerprint: fingerprintOf(ruleId, secret),
    ...over,
  };
};
const result = (findings: Finding[]): ScanResult => ({
  findings,
  baselined: 0,
  units: 1,
  bytes: 1,
  elapsedMs: 1,
  warnings: [{ path: 'odd#dir/x?.zip', message: 'corrupt' }],
  timedOut: false,
});

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
}
interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    results: SarifResult[];
    invocations: { toolExecutionNotifications: { locations: SarifResult['locations'] }[] }[];
  }[];
}
const parse = (r: ScanResult): SarifLog['runs'][number] => {
  const run = (JSON.parse(sarifReport(r, RULES)) as SarifLog).runs[0];
  if (!run) throw new Error('one run');
  return run;
};

describe('sarifReport', () => {
  it('percent-encodes file URIs (#, ?, %, spaces) segment by segment, keeping the path separators', () => {
    const run = parse(
      result([finding({ path: 'conf/a#b?.env' }), finding({ path: 'we ird/100%.env!in#ner.env', line: 2 })]),
    );
    const uris = run.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(['conf/a%23b%3F.env', 'we%20ird/100%25.env']);
    for (const uri of uris) expect(decodeURIComponent(uri ?? '')).not.toContain('%2F');
    const warned = run.invocations[0]?.toolExecutionNotifications[0]?.locations[0];
    expect(warned?.physicalLocation.artifactLocation.uri).toBe('odd%23dir/x%3F.zip');
  });

  it('gives every result a ruleIndex pointing at its rule, known-secret results included', () => {
    const run = parse(
      result([finding({}), finding({ ruleId: KNOWN_RULE_ID, title: 'Value stored in Hush at app/db' })]),
    );
    expect(run.results).toHaveLength(2);
    for (const r of run.results) {
      expect(r.ruleIndex).toBeTypeOf('number');
      expect(run.tool.driver.rules[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
    }
  });

  it('partialFingerprints carry the secret hash: equal for one secret anywhere, different for another', () => {
    const a = finding({ path: 'a.env' });
    const run = parse(
      result([
        a,
        finding({ path: 'b/c.env', line: 9 }),
        finding({ path: 'a.env', secret: 'another-value-98765' }),
      ]),
    );
    const prints = run.results.map((r) => r.partialFingerprints['hush/v1']);
    expect(prints[0]).toBe(a.fingerprint);
    expect(prints[1]).toBe(prints[0]);
    expect(prints[2]).not.toBe(prints[0]);
    expect(JSON.stringify(run)).not.toContain(a.secret);
  });
});

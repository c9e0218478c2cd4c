import { hushError } from '../../core/errors/index.js';
import type { Finding } from './types.js';

/**
 * A baseline: accepted findings, keyed by rule id + SHA-256 of the secret (the fingerprint). No line numbers and
 * no commit ids, so it survives edits, moves and rebases; and it holds no secret, so it can be committed.
 */
export interface Baseline {
  readonly version: 1;
  readonly findings: readonly { readonly ruleId: string; readonly fingerprint: string }[];
}

/** Build a baseline from findings (deduplicated, sorted, so rewriting it gives a stable diff). */
export function baselineOf(findings: readonly Finding[]): Baseline {
  const keys = new Map<string, { ruleId: string; fingerprint: string }>();
  for (const f of findings) keys.set(f.fingerprint, { ruleId: f.ruleId, fingerprint: f.fingerprint });
  return {
    version: 1,
    findings: [...keys.values()].sort(
      (a, b) => a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint),
    ),
  };
}

/** Parse baseline JSON text; a malformed file is a coded error naming the file, not a crash. */
export function parseBaseline(text: string, source: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw hushError('BASELINE_NOT_JSON_REGENERATE_WRITE', { source });
  }
  const findings = (data as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings)) {
    throw hushError('BASELINE_NO_FINDINGS_ARRAY_REGENERATE', { source });
  }
  const out: { ruleId: string; fingerprint: string }[] = [];
  findings.forEach((f: unknown, i) => {
    const e = f as { ruleId?: unknown; fingerprint?: unknown } | null;
    if (
      typeof e?.ruleId !== 'string' ||
      typeof e.fingerprint !== 'string' ||
      !/^[0-9a-f]{64}$/.test(e.fingerprint)
    ) {
      throw hushError('BASELINE_ENTRY_NEEDS_RULE_ID', { source, i });
    }
    out.push({ ruleId: e.ruleId, fingerprint: e.fingerprint });
  });
  return { version: 1, findings: out };
}

/** Findings not covered by the baseline. */
export function notInBaseline(findings: readonly Finding[], baseline: Baseline): Finding[] {
  const known = new Set(baseline.findings.map((f) => f.fingerprint));
  return findings.filter((f) => !known.has(f.fingerprint));
}

import type { Finding } from '../engine/types.js';
import type { ScanResult } from '../run-scan.js';
import type { ScanPlan } from '../scan-plan.js';
import { maskSecret } from './mask.js';

/** A finding as JSON: the secret is masked unless `reveal`, and the fingerprint is always there. */
export function jsonFinding(f: Finding, reveal: boolean): Record<string, unknown> {
  const { secret, ...rest } = f;
  return { ...rest, secret: reveal ? secret : maskSecret(secret) };
}

/** The `--format json` document; `config` names the config file used (null when none). */
export function jsonReport(result: ScanResult, reveal: boolean, config?: ScanPlan['config']): string {
  return `${JSON.stringify(
    {
      findings: result.findings.map((f) => jsonFinding(f, reveal)),
      stats: {
        items: result.units,
        bytes: result.bytes,
        elapsedMs: Math.round(result.elapsedMs),
        baselined: result.baselined,
        timedOut: result.timedOut,
      },
      warnings: result.warnings,
      config: config
        ? {
            path: config.path,
            trust: config.trust,
            rules: config.rules.map((r) => r.id),
            exclude: config.exclude,
            disable: config.disable,
          }
        : null,
    },
    null,
    2,
  )}\n`;
}

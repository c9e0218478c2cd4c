import { fingerprintOf } from '../engine/fingerprint.js';
import type { Finding } from '../engine/types.js';
import type { UnitMeta } from '../sources/source.js';
import { type Candidate, candidateTokens } from './candidate-tokens.js';

/** The rule id of a value found in the Hush store. */
export const KNOWN_RULE_ID = 'hush-known-secret';

/** Where a candidate was seen. */
interface Occurrence extends Candidate {
  readonly path: string;
  readonly meta?: UnitMeta;
}

/** A unit as the collector needs it. */
export interface CollectedUnit {
  readonly path: string;
  readonly meta?: UnitMeta;
  readonly cacheKey?: string;
  readonly onlyLines?: ReadonlySet<number>;
}

/** The rule a collector's own findings are reported under. */
interface FindingRule {
  readonly id: string;
  readonly title: string;
}

/** Which stored locations hold a candidate value (the answer of a local or remote matcher). */
export type KnownMatches = ReadonlyMap<string, readonly string[]>;

/**
 * Collects candidate strings while a scan runs (tokenizer output plus every rule finding's secret), one occurrence
 * per value and path, then turns the matcher's answer into `hush-known-secret` findings. Blobs with a cache key
 * (git) are tokenized once.
 */
export function createKnownCollector() {
  const byValue = new Map<string, Occurrence[]>();
  const seenPath = new Set<string>();
  const tokenized = new Map<string, Candidate[]>();

  const record = (c: Candidate, unit: CollectedUnit): void => {
    if (unit.onlyLines && !unit.onlyLines.has(c.line)) return;
    const key = `${c.value}\u0000${unit.path}\u0000${c.line}:${c.column}`;
    if (seenPath.has(key)) return;
    seenPath.add(key);
    const list = byValue.get(c.value) ?? [];
    list.push({ ...c, path: unit.path, ...(unit.meta ? { meta: unit.meta } : {}) });
    byValue.set(c.value, list);
  };

  const findingsOf = (value: string, rule: FindingRule): Finding[] => {
    const fingerprint = fingerprintOf(rule.id, value);
    return (byValue.get(value) ?? []).map((o) => ({
      ruleId: rule.id,
      title: rule.title,
      severity: 'critical',
      path: o.path,
      line: o.line,
      column: o.column,
      endLine: o.line,
      endColumn: o.column + value.length,
      secret: value,
      fingerprint,
      ...(o.meta ?? {}),
    }));
  };

  return {
    /** Tokenize `text` (starting at `firstLine`) of `unit`. */
    text(text: string, unit: CollectedUnit, firstLine = 1): void {
      const cached = unit.cacheKey && firstLine === 1 ? tokenized.get(unit.cacheKey) : undefined;
      const found = cached ?? candidateTokens(text, firstLine);
      if (unit.cacheKey && firstLine === 1 && !cached) tokenized.set(unit.cacheKey, found);
      for (const c of found) record(c, unit);
    },
    /** Add rule findings' secrets (a stored value some rule knows, of any length). */
    findings(found: readonly Finding[]): void {
      for (const f of found) {
        const meta: UnitMeta = {
          ...(f.commit ? { commit: f.commit } : {}),
          ...(f.author ? { author: f.author } : {}),
          ...(f.date ? { date: f.date } : {}),
        };
        record({ value: f.secret, line: f.line, column: f.column }, { path: f.path, meta });
      }
    },
    /** Where `value` was seen: `path:line`, with the commit that added it when known (for remediation reports). */
    where(value: string): string[] {
      return (byValue.get(value) ?? []).map(
        (o) => `${o.path}:${o.line}${o.meta?.commit ? ` (commit ${o.meta.commit.slice(0, 12)})` : ''}`,
      );
    },
    /** The distinct candidate values collected so far. */
    values(): string[] {
      return [...byValue.keys()];
    },
    /** Findings for the matched values, in path/line order. */
    report(matches: KnownMatches): Finding[] {
      const out: Finding[] = [];
      for (const [value, where] of matches) {
        const rule = { id: KNOWN_RULE_ID, title: `Value stored in Hush at ${where.join(', ')}` };
        out.push(...findingsOf(value, rule));
      }
      return out.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
    },
  };
}

/** A known-secrets collector ({@link createKnownCollector}). */
export type KnownCollector = ReturnType<typeof createKnownCollector>;

import type { AuditRecord } from '../audit/audit-record.js';
import { type AlertDraft, type AlertRule, optionalFields } from './alert.js';
import type { AlertRulesConfig } from './alerts-config.js';
import { BoundedMap } from './bounded-map.js';
import { pathMatcher } from './path-matcher.js';

/** The remembered (identity, path) pairs, so the caller can persist and restore them. */
export interface SeenPairs {
  /** Pairs as `identity\npath`, least recently seen first. */
  entries(): string[];
  /** Remember pairs without raising alerts (restore from a state file, or prime from audit history). */
  restore(entries: Iterable<string>): void;
  /** Called after a new pair is remembered (persist here). */
  onChange?: () => void;
}

/** The rule plus its memory. */
export type ProductionAccessRule = AlertRule & { readonly seen: SeenPairs };

/**
 * (c) First access by an identity to a production path (globs), for any allowed operation on that path. Pairs are
 * remembered in a bounded LRU (`maxRemembered`); a forgotten pair alerts again on its next use. Repeats for one
 * identity are suppressed by the cool-down, so a first sweep across many production paths is one alert.
 */
export function productionAccessRule(config: AlertRulesConfig['productionAccess']): ProductionAccessRule {
  const isProduction = pathMatcher(config.globs);
  const seen = new BoundedMap<string, true>(config.maxRemembered);
  const memory: SeenPairs = {
    entries: () => [...seen.keys()],
    restore(entries) {
      for (const e of entries) if (e.includes('\n')) seen.set(e, true);
    },
  };
  return {
    name: 'production-access',
    seen: memory,
    evaluate(record: AuditRecord): AlertDraft[] {
      if (record.outcome !== 'allowed' || !record.identity || !record.path) return [];
      if (!isProduction(record.path)) return [];
      const pair = `${record.identity}\n${record.path}`;
      if (seen.get(pair)) return [];
      seen.set(pair, true);
      memory.onChange?.();
      return [
        {
          key: `production-access:${record.identity}`,
          rule: 'production-access',
          severity: config.severity,
          time: record.time,
          ...optionalFields({
            identity: record.identity,
            sourceAddress: record.sourceAddress,
            path: record.path,
          }),
          message: `first access by ${record.identity} to production path ${record.path} (${record.operation})`,
        },
      ];
    },
  };
}

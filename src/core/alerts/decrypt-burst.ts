import type { AuditRecord } from '../audit/audit-record.js';
import { type AlertDraft, type AlertRule, optionalFields, recordTime } from './alert.js';
import type { AlertRulesConfig } from './alerts-config.js';
import { createWindowCounter } from './bounded-map.js';

/** Items a transit request carried (`details.items`: a batch counts each item), 1 when not recorded. */
function itemsOf(record: AuditRecord): number {
  const n = record.details?.items;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1;
}

/**
 * (g) A burst of decrypts: one identity decrypting more than `threshold` items on one transit key within
 * `windowSeconds` (a batch of 50 counts 50). Applications decrypt at a steady rate; a token copied off a host and
 * used to drain a key's ciphertexts does not. Counts saturate just past the threshold, so memory per (identity,
 * key) is bounded, and pairs are bounded by `maxKeys` (least recent forgotten).
 */
export function decryptBurstRule(config: AlertRulesConfig['decryptBurst']): AlertRule {
  const operations = new Set(config.operations);
  const counter = createWindowCounter({
    windowMs: config.windowSeconds * 1000,
    cap: config.threshold + 1,
    maxKeys: config.maxKeys,
  });
  return {
    name: 'decrypt-burst',
    evaluate(record: AuditRecord): AlertDraft[] {
      if (record.outcome !== 'allowed' || !operations.has(record.operation)) return [];
      if (!record.identity || !record.path) return [];
      const t = recordTime(record);
      const pair = `${record.identity}\u0000${record.path}`;
      let n = 0;
      for (let i = 0; i < Math.min(itemsOf(record), config.threshold + 1); i++) n = counter.add(pair, t);
      if (n <= config.threshold) return [];
      const key = record.path.replace(/^transit\/keys\//, '');
      return [
        {
          key: `decrypt-burst:${record.identity}:${record.path}`,
          rule: 'decrypt-burst',
          severity: config.severity,
          time: record.time,
          ...optionalFields({
            identity: record.identity,
            sourceAddress: record.sourceAddress,
            path: record.path,
            count: n,
          }),
          message: `${record.identity} decrypted more than ${config.threshold} items with transit key ${key} within ${config.windowSeconds} s`,
        },
      ];
    },
  };
}

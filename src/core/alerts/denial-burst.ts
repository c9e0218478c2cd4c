import type { AuditRecord } from '../audit/audit-record.js';
import { type AlertDraft, type AlertRule, optionalFields, recordTime } from './alert.js';
import type { AlertRulesConfig } from './alerts-config.js';
import { createWindowCounter } from './bounded-map.js';
import { isLoginOperation } from './login-brute-force.js';

/**
 * (a) A burst of denials (outcome `denied`, i.e. 401/403) from one identity, and separately from one source address:
 * `threshold` within `windowSeconds`. Failed logins are left to the brute-force rule so one storm is not two alerts.
 */
export function denialBurstRule(config: AlertRulesConfig['denialBurst']): AlertRule {
  const windowMs = config.windowSeconds * 1000;
  const counter = createWindowCounter({ windowMs, cap: config.threshold, maxKeys: 20_000 });
  return {
    name: 'denial-burst',
    evaluate(record: AuditRecord): AlertDraft[] {
      if (record.outcome !== 'denied' || isLoginOperation(record.operation)) return [];
      const t = recordTime(record);
      const out: AlertDraft[] = [];
      const check = (kind: 'identity' | 'address', who: string | null) => {
        if (!who) return;
        const n = counter.add(`${kind}:${who}`, t);
        if (n < config.threshold) return;
        out.push({
          key: `denial-burst:${kind}:${who}`,
          rule: 'denial-burst',
          severity: config.severity,
          time: record.time,
          ...optionalFields({
            ...(kind === 'identity' ? { identity: who } : { sourceAddress: who }),
            path: record.path,
            count: n,
          }),
          message: `${n} denied requests from ${kind} ${who} within ${config.windowSeconds} s (threshold ${config.threshold})`,
        });
      };
      check('identity', record.identity);
      check('address', record.sourceAddress);
      return out;
    },
  };
}

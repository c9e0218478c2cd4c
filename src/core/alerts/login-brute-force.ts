import type { AuditRecord } from '../audit/audit-record.js';
import { type AlertDraft, type AlertRule, optionalFields, recordTime } from './alert.js';
import type { AlertRulesConfig } from './alerts-config.js';
import { createWindowCounter } from './bounded-map.js';

/** Login operations as the audit plugin names them: `auth.approle.login`, `auth.jwt.login`, ... */
export function isLoginOperation(operation: string): boolean {
  return /^auth\.[a-z0-9_-]+\.login$/.test(operation);
}

const FAILED_LOGIN_CODES = new Set(['HUSH_E_UNAUTHENTICATED', 'HUSH_E_RATE_LIMITED', 'HUSH_E_FORBIDDEN']);

/** The role or identity a login targeted: `details.role` (JWT logins record it), else the record's identity. */
function loginSubject(record: AuditRecord): string | undefined {
  const role = record.details?.['role'];
  const method = record.operation.split('.')[1] ?? 'auth';
  if (typeof role === 'string' && role !== '') return `${method}:${role}`;
  return record.identity ?? undefined;
}

/**
 * (f) Login brute force: `threshold` failed logins within `windowSeconds` from one source address, or against one
 * role/identity from anywhere (a spread-out attack). A success from an address clears that address's count.
 */
export function loginBruteForceRule(config: AlertRulesConfig['loginBruteForce']): AlertRule {
  const counter = createWindowCounter({
    windowMs: config.windowSeconds * 1000,
    cap: config.threshold,
    maxKeys: 20_000,
  });
  return {
    name: 'login-brute-force',
    evaluate(record: AuditRecord): AlertDraft[] {
      if (!isLoginOperation(record.operation)) return [];
      const address = record.sourceAddress;
      if (record.outcome === 'allowed') {
        if (address) counter.reset(`address:${address}`);
        return [];
      }
      if (!record.errorCode || !FAILED_LOGIN_CODES.has(record.errorCode)) return [];
      const t = recordTime(record);
      const out: AlertDraft[] = [];
      const subject = loginSubject(record);
      for (const [kind, who] of [
        ['address', address],
        ['subject', subject],
      ] as const) {
        if (!who) continue;
        const n = counter.add(`${kind}:${who}`, t);
        if (n < config.threshold) continue;
        out.push({
          key: `login-brute-force:${kind}:${who}`,
          rule: 'login-brute-force',
          severity: config.severity,
          time: record.time,
          ...optionalFields({
            sourceAddress: kind === 'address' ? who : address,
            identity: kind === 'subject' ? who : undefined,
            count: n,
          }),
          message: `${n} failed logins ${kind === 'address' ? `from ${who}` : `for ${who}`} within ${config.windowSeconds} s (threshold ${config.threshold})`,
        });
      }
      return out;
    },
  };
}

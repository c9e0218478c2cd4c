import type { AuditRecord } from '../audit/audit-record.js';
import { type AlertDraft, type AlertRule, optionalFields } from './alert.js';
import type { AlertRulesConfig } from './alerts-config.js';

/**
 * `details.reason` values the server records when a well-formed token is refused: `token-expired` (its TTL passed),
 * `token-revoked` (explicitly revoked; the record then names the token's identity and accessor), `token-unknown`
 * (checksum-valid but not held: revoked long ago, or expired and already removed) and `token-exhausted`
 * (use count spent). The first two are suspicious; an exhausted use-limited token is routine.
 */
export const MISUSE_REASONS: Readonly<Record<string, string>> = {
  'token-expired': 'an expired token',
  'token-revoked': 'a revoked token',
  'token-replayed': 'a revoked token whose storage row was put back (storage rollback)',
  'token-unknown': 'a revoked (or no longer existing) token',
};

/** (d) Use of a revoked or expired token: one alert per source address (or identity) per cool-down. */
export function tokenMisuseRule(config: AlertRulesConfig['tokenMisuse']): AlertRule {
  return {
    name: 'token-misuse',
    evaluate(record: AuditRecord): AlertDraft[] {
      if (record.outcome !== 'denied' || record.errorCode !== 'HUSH_E_UNAUTHENTICATED') return [];
      const reason = record.details?.['reason'];
      const what = typeof reason === 'string' ? MISUSE_REASONS[reason] : undefined;
      if (!what) return [];
      const who = record.identity ?? record.sourceAddress ?? 'unknown';
      return [
        {
          key: `token-misuse:${who}`,
          rule: 'token-misuse',
          severity: config.severity,
          time: record.time,
          ...optionalFields({
            identity: record.identity,
            sourceAddress: record.sourceAddress,
            path: record.path,
          }),
          message: `${what}${record.identity ? ` of ${record.identity}` : ''} was presented${record.sourceAddress ? ` from ${record.sourceAddress}` : ''} (${record.operation})`,
        },
      ];
    },
  };
}

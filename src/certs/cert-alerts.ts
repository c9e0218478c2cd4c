import type { Alerting } from '../alerts/create-alerting.js';
import { BoundedMap } from '../core/alerts/bounded-map.js';
import type { CheckedCert } from './cert-evaluate.js';

/** Alert rule names, as `GET /v1/sys/alerts?rule=` filters them. */
export const CERT_ALERT_RULES = {
  expiry: 'certificate-expiry',
  keyExposed: 'certificate-key-exposed',
  finding: 'certificate-finding',
} as const;

/**
 * Raise alerts for the inventory's findings, once per certificate and finding (and per expiry stage: 30 days, 14,
 * 7, 1, expired) rather than once per pass. `info` findings (lifetime above the public cap) are listed, not
 * alerted. The memory is per process: a new leader alerts once more for what is still wrong.
 */
export function createCertAlerter(alerting: Pick<Alerting, 'raise'>, maxRemembered = 100_000) {
  const raised = new BoundedMap<string, true>(maxRemembered);
  return {
    notify(checked: readonly CheckedCert[]): number {
      let count = 0;
      for (const c of checked) {
        for (const f of c.findings) {
          if (f.severity === 'info') continue;
          const key = `cert:${c.record.fingerprintSha256}:${f.check}:${f.stage ?? ''}:${f.where ?? ''}`;
          if (raised.get(key)) continue;
          raised.set(key, true);
          const rule =
            f.check === 'expired' || f.check === 'expiring'
              ? CERT_ALERT_RULES.expiry
              : f.check === 'private-key-exposed'
                ? CERT_ALERT_RULES.keyExposed
                : CERT_ALERT_RULES.finding;
          const cn =
            c.record.subject.length > 120 ? `${c.record.subject.slice(0, 117)}...` : c.record.subject;
          const alert = alerting.raise({
            rule,
            severity: f.severity,
            key,
            cooldownSeconds: 0,
            message: `certificate ${cn} (sha256 ${c.record.fingerprintSha256.slice(0, 16)}): ${f.check}: ${f.message}`,
          });
          if (alert) count++;
        }
      }
      return count;
    },
  };
}

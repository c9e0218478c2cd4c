import { Gauge, type Registry } from 'prom-client';
import type { CheckedCert } from './cert-evaluate.js';

/** The metric's name, as Prometheus rules and dashboards refer to it. */
export const CERT_EXPIRY_METRIC = 'hush_certificate_expiry_timestamp_seconds';

interface Row {
  readonly fingerprint: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notAfter: number;
}

/**
 * `hush_certificate_expiry_timestamp_seconds{fingerprint,subject,issuer}`: each live certificate's notAfter, from
 * the last check pass (labels are public certificate fields; no path, location or secret). Cleared on seal.
 */
export function createCertMetrics() {
  let rows: Row[] = [];
  return {
    update(checked: readonly CheckedCert[]): void {
      rows = checked
        .filter((c) => c.live)
        .map((c) => ({
          fingerprint: c.record.fingerprintSha256,
          subject: c.record.subject.slice(0, 200),
          issuer: c.record.issuer.slice(0, 200),
          notAfter: Date.parse(c.record.notAfter) / 1000,
        }));
    },
    clear(): void {
      rows = [];
    },
    /** Add the gauge to a server's registry (read at scrape time). */
    register(registry: Registry): void {
      new Gauge({
        name: CERT_EXPIRY_METRIC,
        help: 'Expiry (notAfter) of each certificate in the inventory, seconds since the epoch',
        labelNames: ['fingerprint', 'subject', 'issuer'] as const,
        registers: [registry],
        collect() {
          this.reset();
          for (const r of rows)
            this.set({ fingerprint: r.fingerprint, subject: r.subject, issuer: r.issuer }, r.notAfter);
        },
      });
    },
  };
}

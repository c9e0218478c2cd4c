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

/** Where the gauge reads the inventory from when its last copy is stale (any node, not only the leader). */
export interface CertMetricsDeps {
  /** The checked inventory, or undefined while the store is sealed (the gauge is then empty). */
  readonly load: () => Promise<readonly CheckedCert[] | undefined>;
  /** How long a copy serves scrapes before it is read again (default 30 s). */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * `hush_certificate_expiry_timestamp_seconds{fingerprint,subject,issuer}`: each live certificate's notAfter (labels
 * are public certificate fields; no path, location or secret). Every node serves it: a scrape reads the inventory
 * when the copy from the last change or check is older than `maxAgeMs`. Cleared on seal.
 */
export function createCertMetrics(deps: CertMetricsDeps) {
  const now = deps.now ?? Date.now;
  const maxAge = deps.maxAgeMs ?? 30_000;
  let rows: Row[] = [];
  let at = Number.NEGATIVE_INFINITY;
  const update = (checked: readonly CheckedCert[]): void => {
    at = now();
    rows = checked
      .filter((c) => c.live)
      .map((c) => ({
        fingerprint: c.record.fingerprintSha256,
        subject: c.record.subject.slice(0, 200),
        issuer: c.record.issuer.slice(0, 200),
        notAfter: Date.parse(c.record.notAfter) / 1000,
      }));
  };
  return {
    update,
    clear(): void {
      rows = [];
      at = Number.NEGATIVE_INFINITY;
    },
    /** Add the gauge to a server's registry (read at scrape time). */
    register(registry: Registry): void {
      new Gauge({
        name: CERT_EXPIRY_METRIC,
        help: 'Expiry (notAfter) of each certificate in the inventory, seconds since the epoch',
        labelNames: ['fingerprint', 'subject', 'issuer'] as const,
        registers: [registry],
        async collect() {
          if (now() - at >= maxAge) {
            // A failed read (sealed, storage down) serves an empty gauge rather than failing the whole scrape.
            const checked = await deps.load().catch(() => undefined);
            if (checked) update(checked);
            else rows = [];
          }
          this.reset();
          for (const r of rows)
            this.set({ fingerprint: r.fingerprint, subject: r.subject, issuer: r.issuer }, r.notAfter);
        },
      });
    },
  };
}

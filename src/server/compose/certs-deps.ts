import type { Alerting } from '../../alerts/index.js';
import {
  CERTS_VIEW,
  type CheckedCert,
  certProbeJob,
  createCertAlerter,
  createCertMetrics,
  createCertService,
} from '../../certs/index.js';
import type { CertsConfig } from '../../core/certs/certs-config.js';
import type { OutboundAllowList } from '../../net/outbound-allow-list.js';
import type { HushStore } from '../../store/index.js';
import { openSealedView } from '../../store/sealed-view/index.js';

/**
 * The certificate inventory as the server runs it: records sealed under their own keyring, every change (an add, a
 * key report, a probe) re-checked at once so alerts and the expiry metric follow, and endpoint probes as a
 * leader-only job.
 */
export function composeCerts(
  store: HushStore,
  alerting: Alerting,
  config: CertsConfig,
  outbound: OutboundAllowList,
) {
  const records = openSealedView(store.readBackend, store.barrier, CERTS_VIEW);
  const service = createCertService({ records, config, store, outbound });
  const alerter = createCertAlerter(alerting);
  const metrics = createCertMetrics({
    load: async () => (store.isSealed() ? undefined : service.checkAll()),
  });
  records.onWipe(() => metrics.clear()); // expiry figures are read from the sealed records
  const onChecked = (checked: readonly CheckedCert[]) => {
    metrics.update(checked);
    alerter.notify(checked);
  };
  return {
    service,
    /** Register the `hush_certificate_expiry_timestamp_seconds` gauge on the server's registry. */
    metrics: metrics.register,
    job: certProbeJob({
      certs: service,
      intervalMs: config.probeIntervalSeconds * 1000,
      isSealed: () => store.isSealed(),
      onChecked,
    }),
    /** Re-check the whole inventory after a change through the API (alerts, metrics follow at once). */
    onChanged: async () => onChecked(await service.checkAll()),
  };
}

import type { BackgroundJob } from '../cluster/background-jobs.js';
import type { CheckedCert } from './cert-evaluate.js';
import type { CertService } from './cert-service.js';

/** What the scheduled certificate job needs. */
export interface CertJobDeps {
  readonly certs: Pick<CertService, 'probeRemembered' | 'checkAll'> &
    Partial<Pick<CertService, 'pruneIssued'>>;
  readonly intervalMs: number;
  readonly isSealed?: () => boolean;
  /** Told the checked inventory after each pass (alerts, metrics). */
  readonly onChecked: (checked: readonly CheckedCert[]) => void;
}

/**
 * The leader-only job: probe every remembered endpoint (bounded concurrency, per-probe timeout; a failing endpoint
 * is recorded on its own record and the rest still update), forget long-expired certificates of Hush's CA, then
 * check the whole inventory and hand it on.
 *
 * @example
 * startBackgroundJobs([certProbeJob({ certs, intervalMs: 3_600_000, onChecked })], leadership, logger);
 */
export function certProbeJob(deps: CertJobDeps): BackgroundJob {
  return {
    name: 'certificate-probes',
    intervalMs: deps.intervalMs,
    async run(signal) {
      if (signal.aborted || deps.isSealed?.() === true) return;
      await deps.certs.probeRemembered();
      if (signal.aborted) return;
      await deps.certs.pruneIssued?.();
      if (signal.aborted) return;
      deps.onChecked(await deps.certs.checkAll());
    },
  };
}

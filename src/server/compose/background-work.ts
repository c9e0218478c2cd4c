import type { ExpiryStages } from '../../alerts/alert-state.js';
import type { Alerting } from '../../alerts/index.js';
import { expiryAlertJob } from '../../alerts/index.js';
import {
  type BackgroundJob,
  type BackgroundJobs,
  startBackgroundJobs,
} from '../../cluster/background-jobs.js';
import type { Leadership } from '../../cluster/leadership.js';
import type { AlertsConfig } from '../../core/alerts/alerts-config.js';
import type { DynamicCreds } from '../../leases/index.js';
import { leaseExpiryJob } from '../../leases/index.js';
import type { HushStore } from '../../store/index.js';
import type { ServerLogger } from '../server-deps.js';

/** What the server's cluster-wide background work is built from. */
export interface BackgroundWorkDeps {
  readonly store: Pick<HushStore, 'list' | 'versions' | 'isSealed'>;
  readonly creds: DynamicCreds;
  readonly alerting: Alerting;
  readonly alerts: AlertsConfig;
  /** Where the secret-expiry job keeps the stage alerted per secret (the store, so a new leader repeats nothing). */
  readonly expiryStages?: ExpiryStages;
  readonly leadership: Leadership;
  /** Extra jobs (rotation schedules) composed elsewhere. */
  readonly extraJobs?: readonly BackgroundJob[];
  /**
   * The server's own view of sealed (the seal control: sealed while locked down even when the barrier is open for a
   * moment to check an unlock token). Every pass is skipped while it says sealed, so no job rotates, revokes or
   * alerts during a lockdown.
   */
  readonly isSealed?: () => boolean;
}

/**
 * The server's background jobs — lease expiry and revocation retries, secret-expiry alerts, rotation schedules —
 * run only on the cluster leader. `start` is an onStart hook (it needs the server's logger); `stop` an onShutdown.
 */
export function backgroundWork(deps: BackgroundWorkDeps) {
  const all: BackgroundJob[] = [leaseExpiryJob({ leases: deps.creds.leases }), ...(deps.extraJobs ?? [])];
  if (deps.alerts.enabled && deps.alerts.expiry.enabled)
    all.push(
      expiryAlertJob({
        store: deps.store,
        alerting: deps.alerting,
        expiry: deps.alerts.expiry,
        ...(deps.expiryStages ? { stages: deps.expiryStages } : {}),
      }),
    );
  const sealed = deps.isSealed;
  const jobs: BackgroundJob[] = sealed
    ? all.map((job) => ({
        name: job.name,
        intervalMs: job.intervalMs,
        run: (signal: AbortSignal) => (sealed() ? Promise.resolve() : job.run(signal)),
      }))
    : all;
  let running: BackgroundJobs | undefined;
  return {
    jobs,
    start(log: ServerLogger): void {
      running = startBackgroundJobs(jobs, deps.leadership, log);
    },
    async stop(): Promise<void> {
      await running?.stop();
      await deps.leadership.close();
    },
    /** Run every job once now (on the leader); for tests and operator triggers. */
    runNow: () => running?.runNow() ?? Promise.resolve(),
  };
}

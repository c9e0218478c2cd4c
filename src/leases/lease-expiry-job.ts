import type { BackgroundJob } from '../cluster/background-jobs.js';
import { isHushError } from '../core/errors/hush-error.js';
import type { ExpiryPass, LeaseService } from './lease-service.js';

/** What {@link leaseExpiryJob} is built from. */
export interface LeaseExpiryJobDeps {
  readonly leases: Pick<LeaseService, 'expirePass'>;
  /** Time between passes (default 10 s): the lag between a lease's expiry and its revocation. */
  readonly intervalMs?: number;
  /** Told what each pass did (metrics, logs); never given secrets. */
  readonly onPass?: (pass: ExpiryPass) => void;
}

/**
 * The leader-only job that revokes expired leases and retries queued revocations (with their backoff).
 *
 * @example
 * startBackgroundJobs([leaseExpiryJob({ leases: creds.leases })], leadership, app.log);
 */
export function leaseExpiryJob(deps: LeaseExpiryJobDeps): BackgroundJob {
  return {
    name: 'lease-expiry',
    intervalMs: deps.intervalMs ?? 10_000,
    async run(signal) {
      try {
        // Not `onPass?.(await ...)`: an optional call skips evaluating its argument when onPass is absent.
        const pass = await deps.leases.expirePass(signal);
        deps.onPass?.(pass);
      } catch (err) {
        // A sealed or new store has no leases to read; that is a state, not a failure worth a warning per pass.
        if (isHushError(err, 'HUSH_E_SEALED') || isHushError(err, 'HUSH_E_NOT_INITIALIZED')) return;
        throw err;
      }
    },
  };
}

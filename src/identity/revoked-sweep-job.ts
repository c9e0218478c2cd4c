import type { BackgroundJob } from '../cluster/background-jobs.js';
import { isHushError } from '../core/errors/hush-error.js';
import type { TokenService } from './token-service.js';

/**
 * The leader-only job that forgets revoked-token tombstones whose time is up (hourly by default), so storage holds
 * only the tombstones that can still name a revoked token's identity in the audit trail.
 *
 * @example
 * startBackgroundJobs([revokedTokenSweepJob({ tokens: identity.services.tokens })], leadership, app.log);
 */
export function revokedTokenSweepJob(deps: {
  readonly tokens: Pick<TokenService, 'sweepRevoked'>;
  readonly intervalMs?: number;
}): BackgroundJob {
  return {
    name: 'revoked-token-sweep',
    intervalMs: deps.intervalMs ?? 3_600_000,
    async run() {
      try {
        await deps.tokens.sweepRevoked();
      } catch (err) {
        // A sealed or new store has nothing to sweep; that is a state, not a failure worth a warning per pass.
        if (isHushError(err, 'HUSH_E_SEALED') || isHushError(err, 'HUSH_E_NOT_INITIALIZED')) return;
        throw err;
      }
    },
  };
}

import { randomBytes } from 'node:crypto';
import type { AuditEventInput } from '../audit/audit-log.js';
import type { BackgroundJob } from '../cluster/background-jobs.js';
import { isHushError } from '../core/errors/hush-error.js';
import { keyPolicyPath } from './transit-key-names.js';
import type { TransitKeyService } from './transit-key-service.js';

/** The actor recorded in audit for scheduled transit rotations. */
export const TRANSIT_ROTATOR_ACTOR = 'system:transit-auto-rotate';

/** What the auto-rotation job needs. */
export interface TransitAutoRotateDeps {
  readonly keys: Pick<TransitKeyService, 'list' | 'rotateIfDue'>;
  /** The clock due times are judged by (tests move it). */
  readonly now?: () => Date;
  /** Append an audit record for each rotation and each failure. */
  readonly audit?: (event: AuditEventInput) => Promise<unknown>;
  readonly isSealed?: () => boolean;
  /** Time between passes (default one minute; periods are at least an hour). */
  readonly intervalMs?: number;
}

/**
 * The leader-only job that rotates every transit key whose `autoRotatePeriod` has passed since its latest version
 * (as Vault's `auto_rotate_period`). A key that fails (its HSM token is down, say) is audited as an error and the
 * others still rotate; the next pass tries it again.
 */
export function transitAutoRotateJob(deps: TransitAutoRotateDeps): BackgroundJob {
  const now = deps.now ?? (() => new Date());
  return {
    name: 'transit-auto-rotate',
    intervalMs: deps.intervalMs ?? 60_000,
    async run(signal) {
      if (signal.aborted || deps.isSealed?.() === true) return;
      const at = now();
      for (const name of await deps.keys.list()) {
        if (signal.aborted) return;
        const base = {
          requestId: `transit-rotate-${randomBytes(8).toString('hex')}`,
          operation: 'transit.keys.rotate',
          identity: TRANSIT_ROTATOR_ACTOR,
          path: keyPolicyPath(name),
        };
        try {
          const rotated = await deps.keys.rotateIfDue(name, at);
          if (rotated) {
            await deps.audit?.({
              ...base,
              outcome: 'allowed',
              details: { trigger: 'scheduled', version: rotated.latestVersion },
            });
          }
        } catch (err) {
          if (!isHushError(err)) throw err;
          await deps.audit?.({
            ...base,
            outcome: 'error',
            errorCode: err.code,
            details: { trigger: 'scheduled' },
          });
        }
      }
    },
  };
}

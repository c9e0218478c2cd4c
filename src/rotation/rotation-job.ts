import type { BackgroundJob } from '../cluster/background-jobs.js';
import type { BatchReport, RotationService } from './rotation-service.js';

/** What the scheduled rotation job needs. */
export interface RotationJobDeps {
  readonly rotation: Pick<RotationService, 'rotateDue'>;
  /** Time between passes (default one minute; due times are per secret, this is only how often they are checked). */
  readonly intervalMs?: number;
  /** Skip passes while the store is sealed (nothing can be read or written then). */
  readonly isSealed?: () => boolean;
  /** Told after each pass (metrics, logs); no values in it. */
  readonly onPass?: (report: BatchReport) => void;
}

/** The actor recorded in metadata and audit for scheduled rotations. */
export const SCHEDULER_ACTOR = 'system:rotation-scheduler';

/**
 * The leader-only job that rotates every secret whose policy says it is due. Idempotent: a secret's next due time
 * moves forward with each attempt, so a repeated pass finds nothing left to do.
 *
 * @example
 * startBackgroundJobs([rotationJob({ rotation, isSealed: () => store.isSealed() })], leadership, logger);
 */
export function rotationJob(deps: RotationJobDeps): BackgroundJob {
  return {
    name: 'secret-rotation',
    intervalMs: deps.intervalMs ?? 60_000,
    async run(signal) {
      if (signal.aborted || deps.isSealed?.() === true) return;
      const report = await deps.rotation.rotateDue({ actor: SCHEDULER_ACTOR });
      deps.onPass?.(report);
    },
  };
}

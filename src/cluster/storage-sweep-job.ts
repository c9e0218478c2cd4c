import type { ClusterStorage } from '../storage/lease-store.js';
import type { BackgroundJob } from './background-jobs.js';

/** How often the leader sweeps crashed writers' leftovers, unless told otherwise. */
export const STORAGE_SWEEP_INTERVAL_MS = 5 * 60_000;

/** The leader's pass over the store's crashed-writer leftovers (DynamoDB `#txn` records, stale locks, parts). */
export function storageSweepJob(
  storage: Pick<ClusterStorage, 'sweepLeftovers'>,
  intervalMs = STORAGE_SWEEP_INTERVAL_MS,
): BackgroundJob {
  return {
    name: 'storage-sweep',
    intervalMs,
    async run() {
      await storage.sweepLeftovers();
    },
  };
}

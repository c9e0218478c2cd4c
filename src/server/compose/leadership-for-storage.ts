import type { BackgroundJob } from '../../cluster/background-jobs.js';
import { type Leadership, singleNodeLeadership } from '../../cluster/leadership.js';
import { createLeaseLeadership } from '../../cluster/lease-leadership.js';
import { createPostgresLeadership } from '../../cluster/postgres-leadership.js';
import { storageSweepJob } from '../../cluster/storage-sweep-job.js';
import type { ServerStorageConfig } from '../../config/server-config-schema.js';
import { clusterStorageOf } from '../../storage/lease-store.js';

/** Interval of the leader check: a dead leader is replaced within about this long. */
export const LEADER_CHECK_INTERVAL_MS = 2_000;
/** The DynamoDB leader lease: a leader that stops renewing is replaced within about this long. */
export const LEADER_LEASE_MS = 10_000;

/**
 * The node's Leadership for its storage: SQLite always leads; PostgreSQL elects by advisory lock; DynamoDB by a
 * lease item in the store's own table (conditional writes, renewal, takeover after expiry). `onChange` hears each
 * gain or loss of leadership (for the operator's terminal).
 */
export function leadershipForStorage(
  storage: ServerStorageConfig,
  onChange: (leader: boolean) => void = () => undefined,
  backend?: object,
): Leadership {
  if (storage.kind === 'postgres') {
    return createPostgresLeadership({
      url: storage.url,
      checkIntervalMs: LEADER_CHECK_INTERVAL_MS,
      connectTimeoutMs: storage.connectTimeoutMs,
      onChange,
    });
  }
  const cluster = backend ? clusterStorageOf(backend) : undefined;
  if (cluster) {
    return createLeaseLeadership({ store: cluster.leaseStore('leader'), leaseMs: LEADER_LEASE_MS, onChange });
  }
  return singleNodeLeadership();
}

/** The leader's sweep of crashed writers' leftovers, for a backend that leaves some (DynamoDB); none otherwise. */
export function storageSweepJobs(backend: object): BackgroundJob[] {
  const cluster = clusterStorageOf(backend);
  return cluster ? [storageSweepJob(cluster)] : [];
}

import { type Leadership, singleNodeLeadership } from '../../cluster/leadership.js';
import { createPostgresLeadership } from '../../cluster/postgres-leadership.js';
import type { ServerStorageConfig } from '../../config/server-config-schema.js';

/** Interval of the leader check: a dead leader is replaced within about this long. */
export const LEADER_CHECK_INTERVAL_MS = 2_000;

/**
 * The node's Leadership for its storage: SQLite (and DynamoDB) always lead; PostgreSQL elects by advisory lock.
 * `onChange` hears each gain or loss of leadership (for the operator's terminal).
 */
export function leadershipForStorage(
  storage: ServerStorageConfig,
  onChange: (leader: boolean) => void = () => undefined,
): Leadership {
  // DynamoDB has no lock service here: every node leads, and the jobs are idempotent (docs/storage.md says to run
  // background work on one node, or accept duplicate passes).
  if (storage.kind !== 'postgres') return singleNodeLeadership();
  return createPostgresLeadership({
    url: storage.url,
    checkIntervalMs: LEADER_CHECK_INTERVAL_MS,
    connectTimeoutMs: storage.connectTimeoutMs,
    onChange,
  });
}

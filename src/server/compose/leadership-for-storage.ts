import { type Leadership, singleNodeLeadership } from '../../cluster/leadership.js';
import { createPostgresLeadership } from '../../cluster/postgres-leadership.js';
import type { ServerStorageConfig } from '../../config/server-config-schema.js';

/** Interval of the leader check: a dead leader is replaced within about this long. */
export const LEADER_CHECK_INTERVAL_MS = 2_000;

/**
 * The node's Leadership for its storage: SQLite serves one node (always leads); PostgreSQL elects by advisory lock.
 * `onChange` hears each gain or loss of leadership (for the operator's terminal).
 */
export function leadershipForStorage(
  storage: ServerStorageConfig,
  onChange: (leader: boolean) => void = () => undefined,
): Leadership {
  if (storage.kind === 'sqlite') return singleNodeLeadership();
  return createPostgresLeadership({
    url: storage.url,
    checkIntervalMs: LEADER_CHECK_INTERVAL_MS,
    connectTimeoutMs: storage.connectTimeoutMs,
    onChange,
  });
}

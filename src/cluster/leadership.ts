/**
 * Background work (expiry sweeps, rotation schedules, lease revocation) must run once per cluster, not once per node.
 * A Leadership tells a node whether it is currently the one that runs it. A single node is always the leader; over
 * PostgreSQL the leader is whoever holds a session advisory lock (src/storage/postgres).
 */
export interface Leadership {
  /** True while this node should run cluster-wide background work. Cheap (in-memory). */
  isLeader(): boolean;
  /** Give up leadership (if held) and release resources. */
  close(): Promise<void>;
}

/** The leadership of a node that runs alone (SQLite, memory): always the leader. */
export function singleNodeLeadership(): Leadership {
  return { isLeader: () => true, close: async () => {} };
}

/**
 * A lock item with a lease, for backends without a lock service of their own (DynamoDB): the cluster's leader
 * election (src/cluster/lease-leadership.ts) runs on it. Every change is a conditional write on the exact record
 * read, so two nodes never both believe their write won.
 */
export interface LeaseRecord {
  /** The node holding the lease (random per process). */
  readonly owner: string;
  /** Changed on every renewal: a follower that sees it unchanged for a whole lease knows the holder stopped. */
  readonly version: string;
}

/** The conditional operations on one named lease record. */
export interface LeaseStore {
  /** The current record, or undefined when nobody holds the lease. */
  read(): Promise<LeaseRecord | undefined>;
  /** Create the record if there is none; false when someone else created it first. */
  create(next: LeaseRecord): Promise<boolean>;
  /** Replace the record if it is still exactly `expected` (renewal or takeover); false otherwise. */
  replace(expected: LeaseRecord, next: LeaseRecord): Promise<boolean>;
  /** Delete the record if it is still exactly `expected` (a clean hand-over); false otherwise. */
  release(expected: LeaseRecord): Promise<boolean>;
}

/** What a sweep of a backend's crashed-writer leftovers found and removed. */
export interface SweepResult {
  /** Locks of finished or expired batches resolved (rolled forward when committed, back otherwise). */
  readonly locks: number;
  /** Batch records removed. */
  readonly txns: number;
  /** Value parts no head refers to, removed. */
  readonly parts: number;
}

/** A backend of a cluster without a lock service: lease records for leader election, and a leftovers sweeper. */
export interface ClusterStorage {
  leaseStore(name: string): LeaseStore;
  sweepLeftovers(): Promise<SweepResult>;
}

/** The backend's ClusterStorage side, if it has one (DynamoDB). */
export function clusterStorageOf(backend: object): ClusterStorage | undefined {
  const b = backend as Partial<ClusterStorage>;
  return typeof b.leaseStore === 'function' && typeof b.sweepLeftovers === 'function'
    ? (backend as ClusterStorage)
    : undefined;
}

import { randomBytes } from 'node:crypto';
import type { LeaseRecord, LeaseStore } from '../storage/lease-store.js';
import type { Leadership } from './leadership.js';

/** Options of {@link createLeaseLeadership}. */
export interface LeaseLeadershipOptions {
  /** The shared lease record (DynamoDB: an item of the store's table). */
  readonly store: LeaseStore;
  /** How long a holder that stopped renewing keeps the lease. Default 10 000 ms. */
  readonly leaseMs?: number;
  /** How often a node renews (leader) or looks (follower); 0 = only on checkNow(). Default a third of the lease. */
  readonly checkIntervalMs?: number;
  /** Monotonic milliseconds (default performance.now); tests inject a clock. */
  readonly now?: () => number;
  /** Told on every change of leadership (for the log; never throws into the loop). */
  readonly onChange?: (leader: boolean) => void;
}

/** A Leadership over a lease record, with a hook to run a check now (the same face as PostgreSQL's). */
export interface LeaseLeadership extends Leadership {
  /** Renew (leader) or look and maybe take over (follower) now; resolves with the resulting isLeader(). */
  checkNow(): Promise<boolean>;
}

const fresh = (owner: string): LeaseRecord => ({ owner, version: randomBytes(12).toString('hex') });
const same = (a: LeaseRecord, b: LeaseRecord) => a.owner === b.owner && a.version === b.version;

/**
 * Leader election over a lock item with a lease, for stores without a lock service (DynamoDB). The leader renews
 * by replacing the record's version (a conditional write on the exact record it holds); a follower that sees the
 * same record for a whole lease, by its own clock, takes over with a conditional write on that record, so no two
 * nodes both win. A leader counts its lease from the moment it SENT its last successful renewal, and steps down
 * when that is a lease ago: followers count from when they saw the record, which is later, so the two never
 * overlap whatever the clocks say (only their rates matter). close() releases the lease for an instant hand-over.
 *
 * @example
 * const leadership = createLeaseLeadership({ store: backend.leaseStore('leader') });
 * startBackgroundJobs(jobs, leadership, logger);
 */
export function createLeaseLeadership(options: LeaseLeadershipOptions): LeaseLeadership {
  const leaseMs = options.leaseMs ?? 10_000;
  const interval = options.checkIntervalMs ?? Math.floor(leaseMs / 3);
  const now = options.now ?? (() => performance.now());
  const { store } = options;
  const me = randomBytes(12).toString('hex');
  let held: LeaseRecord | undefined;
  let heldFrom = Number.NEGATIVE_INFINITY;
  let observed: { record: LeaseRecord; at: number } | undefined;
  let leader = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<boolean> | undefined;

  function isLeader(): boolean {
    return leader && now() - heldFrom < leaseMs;
  }

  function setLeader(next: boolean): void {
    if (next === leader) return;
    leader = next;
    try {
      options.onChange?.(next);
    } catch {
      // a logging hook must not break the election loop
    }
  }

  /** Write `next` with `write`; on success it is ours from `sentAt` on. */
  async function claim(next: LeaseRecord, write: () => Promise<boolean>): Promise<void> {
    const sentAt = now();
    if (await write()) {
      held = next;
      heldFrom = sentAt;
      observed = undefined;
      setLeader(true);
    } else {
      held = undefined;
      setLeader(false);
    }
  }

  async function check(): Promise<boolean> {
    if (closed) return false;
    try {
      if (held && isLeader()) {
        const current = held;
        const next = fresh(me);
        await claim(next, () => store.replace(current, next));
      } else {
        held = undefined;
        setLeader(false);
        const record = await store.read();
        const next = fresh(me);
        if (!record) await claim(next, () => store.create(next));
        else if (!observed || !same(observed.record, record)) observed = { record, at: now() };
        else if (now() - observed.at >= leaseMs) await claim(next, () => store.replace(record, next));
      }
    } catch {
      // The store is unreachable: a leader keeps its lease until it runs out (isLeader checks), then steps down.
    }
    if (closed) return false;
    if (!isLeader()) setLeader(false);
    return isLeader();
  }

  function checkNow(): Promise<boolean> {
    inFlight ??= check().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  function schedule(): void {
    if (closed || interval <= 0) return;
    timer = setTimeout(() => {
      void checkNow().then(schedule);
    }, interval);
    timer.unref();
  }

  void checkNow().then(schedule);
  return {
    isLeader,
    checkNow,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await inFlight?.catch(() => undefined);
      const mine = held;
      held = undefined;
      setLeader(false);
      if (mine) await store.release(mine).catch(() => false);
    },
  };
}

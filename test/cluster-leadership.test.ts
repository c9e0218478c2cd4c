import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresLeadership,
  defaultLeaderLockKey,
  type PostgresLeadership,
} from '../src/cluster/postgres-leadership.js';
import { startTestPostgres, type TestPostgres, withSchema } from './support/postgres.js';
import { until } from './support/until.js';

const INTERVAL = 200;

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The backend pid holding advisory lock `key` (a key below 2^31 sits in objid with classid 0). */
async function holderPid(key: number): Promise<number | undefined> {
  const { rows } = await pg.admin(
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = $1 AND granted",
    [key],
  );
  return rows[0]?.pid as number | undefined;
}

describe('PostgreSQL leadership', () => {
  it('elects exactly one of two nodes, and the other takes over when the leader session is killed', async () => {
    const lockKey = 4242;
    const a = createPostgresLeadership({ url: pg.url, lockKey, checkIntervalMs: INTERVAL });
    const b = createPostgresLeadership({ url: pg.url, lockKey, checkIntervalMs: INTERVAL });
    try {
      await Promise.all([a.checkNow(), b.checkNow()]);
      await until('a leader', () => a.isLeader() || b.isLeader());
      for (let i = 0; i < 5; i++) {
        expect(Number(a.isLeader()) + Number(b.isLeader())).toBe(1);
        await sleep(INTERVAL / 2);
      }
      const [leader, follower]: PostgresLeadership[] = a.isLeader() ? [a, b] : [b, a];
      const pid = await holderPid(lockKey);
      expect(pid).toBeGreaterThan(0);
      await pg.admin('SELECT pg_terminate_backend($1)', [pid]);
      // The old leader learns at once (its session errors); the follower wins at its next try. The bounds below are
      // liveness limits, generous so a loaded machine cannot fail them; how fast takeover is, is not a unit test.
      await until('old leader steps down', () => !leader!.isLeader());
      await until('follower takes over', () => follower!.isLeader());
      await sleep(3 * INTERVAL);
      expect(leader!.isLeader()).toBe(false); // the lock is held by the new leader: no split brain
      expect(follower!.isLeader()).toBe(true);
      // Closing the leader hands over too.
      await follower!.close();
      await until('first node leads again', () => leader!.isLeader());
    } finally {
      await a.close();
      await b.close();
    }
    expect(await holderPid(lockKey)).toBeUndefined();
  });

  it('is not leader while PostgreSQL is down, and leads again after it is back', async () => {
    const a = createPostgresLeadership({
      url: pg.url,
      lockKey: 777,
      checkIntervalMs: INTERVAL,
      connectTimeoutMs: 500,
    });
    try {
      await until('leader', () => a.isLeader());
      await pg.stop();
      await until('steps down', () => !a.isLeader());
      await sleep(3 * INTERVAL);
      expect(a.isLeader()).toBe(false);
      await pg.start();
      await until('leads again', () => a.isLeader());
    } finally {
      await a.close();
    }
  }, 60_000);

  it('derives one lock key per database and schema', () => {
    const base = 'postgres://hush:pw@127.0.0.1:5432/hush'; // hush:allow postgres-connection-string
    expect(defaultLeaderLockKey(base)).toBe(defaultLeaderLockKey(base.replace('pw', 'other')));
    expect(defaultLeaderLockKey(withSchema(base, 's1'))).not.toBe(
      defaultLeaderLockKey(withSchema(base, 's2')),
    );
    expect(defaultLeaderLockKey(base)).not.toBe(defaultLeaderLockKey(`${base}2`));
    expect(defaultLeaderLockKey(base)).toBeGreaterThanOrEqual(0);
    expect(defaultLeaderLockKey(base)).toBeLessThan(2 ** 31);
  });
});

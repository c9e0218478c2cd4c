import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Leadership } from './leadership.js';

/** Options of {@link createPostgresLeadership}. */
export interface PostgresLeadershipOptions {
  /** Connection URL of the shared database (holds a password: never logged). */
  readonly url: string;
  /** Advisory lock id the nodes compete for; default derived from the URL's database and schema options. */
  readonly lockKey?: number;
  /** How often a node checks its connection (leader) or tries the lock (follower). Default 2000 ms. */
  readonly checkIntervalMs?: number;
  /** Longest a connection attempt or check may take. Default 2000 ms. */
  readonly connectTimeoutMs?: number;
  /** Told on every change of leadership (for the log; never throws into the loop). */
  readonly onChange?: (leader: boolean) => void;
}

/** A Leadership over a PostgreSQL session advisory lock, with a hook to run a check now. */
export interface PostgresLeadership extends Leadership {
  /** Run one check now (connect, then keep or try the lock); resolves with the resulting isLeader(). */
  checkNow(): Promise<boolean>;
}

/**
 * The default lock id: one per database and schema (search_path in the URL's `options`), so two Hush clusters on
 * one PostgreSQL server in different schemas elect leaders independently. A positive 31-bit number.
 */
export function defaultLeaderLockKey(url: string): number {
  const u = new URL(url);
  const scope = `${u.pathname}\0${u.searchParams.get('options') ?? ''}`;
  return createHash('sha256').update('hush-leader\0').update(scope).digest().readUInt32BE(0) >>> 1;
}

/**
 * Leader election for nodes sharing one PostgreSQL database: the leader is whichever node holds the session
 * advisory lock `lockKey` on its own dedicated connection (not a pooled one, which would hand the lock around).
 * PostgreSQL releases the lock when that session ends, so a dead or disconnected leader is replaced within about
 * one `checkIntervalMs`. A node steps down the moment its connection errors, when a check fails, and when no
 * check has succeeded for two intervals plus the timeout; it never leads without a live session holding the lock.
 *
 * @example
 * const leadership = createPostgresLeadership({ url: process.env.HUSH_STORAGE_URL!, checkIntervalMs: 2000 });
 * startBackgroundJobs(jobs, leadership, logger);
 */
export function createPostgresLeadership(options: PostgresLeadershipOptions): PostgresLeadership {
  const interval = options.checkIntervalMs ?? 2_000;
  const timeout = options.connectTimeoutMs ?? 2_000;
  const lockKey = options.lockKey ?? defaultLeaderLockKey(options.url);
  let client: pg.Client | undefined;
  let leader = false;
  let lastOk = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<boolean> | undefined;

  function setLeader(next: boolean): void {
    if (next === leader) return;
    leader = next;
    try {
      options.onChange?.(next);
    } catch {
      // a logging hook must not break the election loop
    }
  }

  /** Forget a connection (it failed or we are closing); ending the session releases the lock server-side. */
  function drop(c: pg.Client): void {
    if (client === c) {
      client = undefined;
      setLeader(false);
    }
    c.end().catch(() => undefined);
  }

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: timeout,
      query_timeout: timeout,
      keepAlive: true,
      application_name: 'hush-leader',
    });
    c.on('error', () => drop(c));
    c.on('end', () => drop(c));
    try {
      await c.connect();
    } catch (err) {
      c.end().catch(() => undefined);
      throw err;
    }
    return c;
  }

  async function check(): Promise<boolean> {
    if (closed) return false;
    try {
      if (!client) {
        const fresh = await connect();
        if (closed) {
          await fresh.end().catch(() => undefined);
          return false;
        }
        client = fresh;
      }
      const c = client;
      if (leader) {
        await c.query('SELECT 1');
      } else {
        const { rows } = await c.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS got', [
          lockKey,
        ]);
        if (closed) return false;
        setLeader(rows[0]?.got === true && client === c);
      }
      lastOk = Date.now();
    } catch {
      // Unreachable database or a broken session: not the leader until a fresh session wins the lock again.
      if (client) drop(client);
      setLeader(false);
    }
    return isLeader();
  }

  function checkNow(): Promise<boolean> {
    inFlight ??= check().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => {
      void checkNow().then(schedule);
    }, interval);
    timer.unref();
  }

  function isLeader(): boolean {
    // A leader whose checks stopped succeeding (event loop stalled, checks hanging) steps down on its own.
    return leader && Date.now() - lastOk <= 2 * interval + timeout;
  }

  void checkNow().then(schedule);
  return {
    isLeader,
    checkNow,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await inFlight?.catch(() => undefined);
      const c = client;
      client = undefined;
      setLeader(false);
      await c?.end().catch(() => undefined);
    },
  };
}

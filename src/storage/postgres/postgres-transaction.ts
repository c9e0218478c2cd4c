import { randomInt } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { hushError } from '../../core/errors/index.js';
import { isRetryable, type PostgresErrorContext, toPostgresError } from './postgres-errors.js';

/** How many times a transaction runs before a persistent serialization failure or race is reported. */
export const MAX_ATTEMPTS = 5;

/** Thrown inside a transaction when a concurrent writer changed what we locked: run the whole transaction again. */
export class RetryTransaction extends Error {
  constructor(readonly key: string) {
    super(`concurrent write to ${key}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Swallows a checked-out client's 'error' event; the failure reaches us through the query that is running. */
const ignoreClientError = (): void => undefined;

/**
 * Check a connection out of the pool with an 'error' listener attached. The pool listens only to idle clients: a
 * checked-out one whose server goes away between two statements (57P01 on shutdown, a reset socket) emits 'error'
 * with nobody listening, which would crash the process. The next statement on it then fails and we roll back.
 */
export async function checkout(pool: Pool): Promise<PoolClient> {
  const client = await pool.connect();
  client.on('error', ignoreClientError);
  return client;
}

/** Hand a connection from {@link checkout} back (destroying it when `err` is given). */
export function checkin(client: PoolClient, err?: Error | boolean): void {
  client.off('error', ignoreClientError);
  client.release(err);
}

/** Roll back and hand the connection back; one that cannot even roll back is destroyed, not reused. */
async function releaseAfterFailure(client: PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
    checkin(client);
  } catch (err) {
    checkin(client, err instanceof Error ? err : true);
  }
}

/**
 * Run `fn` inside BEGIN ... COMMIT on one pooled connection. Serialization failures, deadlocks and
 * RetryTransaction rerun it from the start (with a short random backoff) up to MAX_ATTEMPTS times; any failure
 * rolls back, and is reported as a one-line HushError.
 */
export async function inTransaction<T>(
  pool: Pool,
  ctx: PostgresErrorContext,
  action: string,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: PoolClient | undefined;
    try {
      client = await checkout(pool);
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      checkin(client);
      return result;
    } catch (err) {
      if (client) await releaseAfterFailure(client);
      const retry = err instanceof RetryTransaction || isRetryable(err);
      if (retry && attempt < MAX_ATTEMPTS) {
        // Random backoff so that two colliding writers do not collide again in lockstep.
        await sleep(randomInt(1, 5 * attempt + 2));
        continue;
      }
      if (err instanceof RetryTransaction) {
        throw hushError(
          'KEPT_CHANGING_UNDER_CONCURRENT_WRITERS',
          { key: err.key, maxAttempts: MAX_ATTEMPTS, action, target: ctx.target },
          { target: ctx.target, key: err.key },
        );
      }
      throw toPostgresError(err, ctx, action);
    }
  }
}

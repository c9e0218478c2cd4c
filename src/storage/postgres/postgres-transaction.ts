import { randomInt } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { HushError } from '../../core/errors/hush-error.js';
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

/** Roll back and hand the connection back; one that cannot even roll back is destroyed, not reused. */
async function releaseAfterFailure(client: PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch (err) {
    client.release(err instanceof Error ? err : true);
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
      client = await pool.connect();
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      client.release();
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
        throw new HushError(
          'HUSH_E_STORAGE',
          `${err.key} kept changing under concurrent writers (${MAX_ATTEMPTS} attempts) while ${action} PostgreSQL at ${ctx.target}; retry`,
          { target: ctx.target, key: err.key },
        );
      }
      throw toPostgresError(err, ctx, action);
    }
  }
}

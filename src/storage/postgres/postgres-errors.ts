import { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';

/** What an error message needs to name: the server and database (never the password) and the timeouts. */
export interface PostgresErrorContext {
  readonly target: string;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** SQLSTATEs after which the whole transaction can simply be run again (serialization failure, deadlock). */
const RETRYABLE = new Set(['40001', '40P01']);

/** The string `code` of a pg DatabaseError (a SQLSTATE) or of a Node socket error (ECONNREFUSED, ...). */
function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** True for a failure after which the transaction should be retried from the start. */
export function isRetryable(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && RETRYABLE.has(code);
}

/** Socket-level failures and pg's own connection messages (those carry no code). */
function isConnectionFailure(code: string | undefined, message: string): boolean {
  if (code !== undefined && /^(E[A-Z]+|08...|57P0[1-3])$/.test(code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client was closed/i.test(
    message,
  );
}

/**
 * Turn a pg or socket failure into a one-line coded HushError naming host:port/database and the fix. The raw
 * pg message is not echoed (it is not our contract and could carry statement details); only its SQLSTATE is.
 * Errors that are already coded, and programmer mistakes (TypeError, RangeError), pass through unchanged.
 */
export function toPostgresError(err: unknown, ctx: PostgresErrorContext, action: string): Error {
  if (err instanceof HushError) return err;
  if (err instanceof TypeError || err instanceof RangeError) return err;
  const code = codeOf(err);
  const message = messageOf(err);
  const where = `${action} PostgreSQL at ${ctx.target}`;
  const storage = (text: string) =>
    new HushError('HUSH_E_STORAGE', text, { target: ctx.target, code: code ?? null });
  if (code === 'XX001' || code === 'XX002') {
    return hushError('POSTGRE_SQL_REPORTS_CORRUPTED_DATA', { code, where }, { target: ctx.target, code });
  }
  if (code === '57014') {
    return storage(
      `a statement ran longer than statementTimeoutMs (${ctx.statementTimeoutMs} ms) while ${where}; retry, or raise storage.statementTimeoutMs`,
    );
  }
  if (code === '28P01' || code === '28000') {
    return storage(
      `authentication failed (${code}) while ${where}; check the user and password in storage.url`,
    );
  }
  if (code === '3D000') {
    return storage(`the database does not exist while ${where}; create it or fix storage.url`);
  }
  if (code === '42501') {
    return storage(
      `permission denied (${code}) while ${where}; grant the Hush user CREATE and read/write on its schema`,
    );
  }
  if (code === '53100') {
    return storage(`the server's disk is full while ${where}; free space and retry (nothing was written)`);
  }
  if (code === '53300') {
    return storage(
      `too many connections (${code}) while ${where}; lower storage.poolSize or raise max_connections`,
    );
  }
  if (message === 'Query read timeout') {
    return storage(
      `no answer within ${ctx.statementTimeoutMs + ctx.connectTimeoutMs} ms (statementTimeoutMs + connectTimeoutMs) while ${where}; check that the server is up and reachable, then retry`,
    );
  }
  if (/timeout/i.test(message) && (code === undefined || code === 'ETIMEDOUT')) {
    return storage(
      `no connection within ${ctx.connectTimeoutMs} ms while ${where}; check that the server is up and reachable, or raise storage.connectTimeoutMs`,
    );
  }
  if (isConnectionFailure(code, message)) {
    return storage(
      `PostgreSQL is unavailable (${code ?? 'connection lost'}) while ${where}; check that the server is running and reachable, then retry`,
    );
  }
  if (isRetryable(err)) {
    return storage(
      `the transaction kept conflicting with concurrent writers (${code}) while ${where}; retry`,
    );
  }
  return storage(`storage failure (${code ?? 'unknown'}) while ${where}; check the server's log, then retry`);
}

import pg from 'pg';
import { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import type { OutboundAllowList } from '../../net/outbound-allow-list.js';
import { guardedSocket } from '../../net/outbound-socket.js';

/** How long to wait for the admin connection before calling the database unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Longest a statement list may run (the admin session's statement_timeout). */
const STATEMENT_TIMEOUT_MS = 30_000;

/** What an admin session is opened from: the engine name (for messages) and its connection URL. */
export interface AdminTarget {
  readonly engine: string;
  /** Contains the admin password: never put it (or any part but host:port) in a message. */
  readonly connectionUrl: string;
  /** On a server: the address the host resolves to is checked when the socket connects (absent: unrestricted). */
  readonly outbound?: OutboundAllowList;
  /**
   * With `outbound`: where why a connection failed goes (the server log). The caller then hears only that it failed
   * when no PostgreSQL answered, since refused, reset or timed out is what a port probe wants to learn.
   */
  readonly log?: (fields: object, msg: string) => void;
}

/** Non-secret location of the database, for messages: `host:port/database`. */
export function describeTarget(connectionUrl: string): string {
  try {
    const u = new URL(connectionUrl);
    return `${u.hostname}:${u.port || '5432'}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(unparseable url)';
  }
}

/** Replace every secret that might be echoed by a driver or server message. */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text.replace(/postgres(?:ql)?:\/\/\S+/gi, '<url>');
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out.replace(/\s+/g, ' ').slice(0, 300);
}

/** The admin password of a connection URL (empty when none), decoded, for scrubbing. */
function urlSecrets(connectionUrl: string): string[] {
  try {
    const u = new URL(connectionUrl);
    return [connectionUrl, u.password, decodeURIComponent(u.password)];
  } catch {
    return [connectionUrl];
  }
}

/**
 * Open an admin session, run `fn`, close it. Every failure becomes HUSH_E_UPSTREAM with a one-line message naming
 * the engine, `host:port/db` and the driver or SQLSTATE cause, scrubbed of the URL, its password and `extraSecrets`
 * (e.g. a generated password inside a failing statement).
 */
export async function withAdmin<T>(
  target: AdminTarget,
  what: string,
  fn: (client: pg.Client) => Promise<T>,
  extraSecrets: readonly string[] = [],
): Promise<T> {
  const client = new pg.Client({
    connectionString: target.connectionUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    // Configure-time checks alone would let the name resolve elsewhere by the time the driver connects.
    ...(target.outbound ? { stream: () => guardedSocket(target.outbound as OutboundAllowList) } : {}),
  });
  client.on('error', () => undefined); // a dropped connection surfaces as the failing query's error
  const secrets = [...urlSecrets(target.connectionUrl), ...extraSecrets];
  const where = `postgres engine "${target.engine}" (${describeTarget(target.connectionUrl)})`;
  try {
    await client.connect();
  } catch (err) {
    throw hushError(
      'CANNOT_CONNECT_WHERE_CAUSE',
      { where, cause: connectCause(target, causeOf(err), secrets), engine: target.engine },
      { phase: 'connect' },
    );
  }
  try {
    return await fn(client);
  } catch (err) {
    if (err instanceof HushError) throw err;
    throw hushError('OPERATION_FAILED_ON', { what, where, cause: scrub(causeOf(err), secrets) });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Why the connection failed, as the caller sees it: a PostgreSQL answer (SQLSTATE: bad password, no database) and
 * an address refused by the allow-list (no connection was made) as they are; a network failure (refused, reset,
 * timed out, not PostgreSQL) as such only when no allow-list applies, else it goes to the log.
 */
function connectCause(target: AdminTarget, cause: string, secrets: readonly string[]): string {
  const text = scrub(cause, secrets);
  if (!target.outbound || /^(SQLSTATE |EHUSHOUTBOUND\b)/.test(cause)) return text;
  target.log?.({ engine: target.engine, cause: text }, 'postgres engine connection failed');
  return 'no PostgreSQL session could be opened (the server log has the details)';
}

/** A short cause: SQLSTATE and server message, or the socket error code. */
function causeOf(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (code && /^[0-9A-Z]{5}$/.test(code)) return `SQLSTATE ${code}: ${message}`;
  return code ? `${code}${message && !message.includes(code) ? ` (${message})` : ''}` : message;
}

/** Run a rendered statement list in one transaction (all or nothing). */
export async function runInTransaction(client: pg.Client, sql: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

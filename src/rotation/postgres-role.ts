import pg from 'pg';
import { hushError } from '../core/errors/index.js';
import type { OutboundGuard } from '../net/outbound-allow-list.js';
import { guardedSocket } from '../net/outbound-socket.js';
import { checkPostgresUrl } from '../net/postgres-url-guard.js';

/** What the postgres-role rotator needs for one role. */
export interface PostgresRoleChange {
  /** Admin connection URL (from the policy's connection secret); never printed. */
  readonly adminUrl: string;
  readonly role: string;
  readonly newPassword: string;
  /** The password `current` holds, to restore if the new one cannot be verified; absent on a first rotation. */
  readonly oldPassword?: string;
  readonly connectTimeoutMs?: number;
  /**
   * On a server: the admin URL comes from a secret its rotator may write, so it goes only to the admin's outbound
   * allow-list (checked again when the socket connects), and why a connection failed goes to the server log, not
   * to the caller (otherwise anyone who may rotate one secret could map internal ports). Absent: unrestricted.
   */
  readonly outbound?: OutboundGuard;
}

/** The connection URL for logging in as `role` with `password` on the admin URL's server and database. */
function roleUrl(adminUrl: string, role: string, password: string): string {
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(password);
  return url.toString();
}

function parseAdminUrl(adminUrl: string): void {
  let url: URL;
  try {
    url = new URL(adminUrl);
  } catch {
    throw hushError('CONNECTION_SECRET_NOT_HOLD_URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw hushError('CONNECTION_SECRET_MUST_HOLD_POSTGRES', { protocol: url.protocol });
}

async function withClient<T>(
  url: string,
  change: PostgresRoleChange,
  fn: (c: pg.Client) => Promise<T>,
): Promise<T> {
  const { outbound } = change;
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: change.connectTimeoutMs ?? 10_000,
    ...(outbound ? { stream: () => guardedSocket(outbound.allow) } : {}),
  });
  // An idle-connection error after we are done must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** ALTER ROLE cannot take bind parameters: the role is quoted as an identifier, the password as a literal. */
async function setPassword(change: PostgresRoleChange, password: string): Promise<void> {
  await withClient(change.adminUrl, change, async (c) => {
    await c.query(
      `ALTER ROLE ${pg.escapeIdentifier(change.role)} WITH PASSWORD ${pg.escapeLiteral(password)}`,
    );
  });
}

async function canLogIn(change: PostgresRoleChange, password: string): Promise<boolean> {
  try {
    await withClient(roleUrl(change.adminUrl, change.role, password), change, (c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

/** Why ALTER ROLE failed, as the caller sees it: the driver's code locally; on a server only that it failed. */
function pgReason(err: unknown, change: PostgresRoleChange): string {
  const code = (err as { code?: unknown }).code;
  const reason = typeof code === 'string' ? code : 'connection failed';
  if (!change.outbound) return reason;
  change.outbound.log({ role: change.role, reason }, 'postgres-role rotation: ALTER ROLE failed');
  return 'the server log has the details';
}

/**
 * Set a role's password and prove it by logging in as the role. If the login fails, the old password is put back
 * so the database keeps matching `current`. Throws HUSH_E_ROTATION_FAILED (naming the role, never a password), or
 * HUSH_E_INVALID_INPUT when the URL's host is off the server's outbound allow-list.
 */
export async function rotatePostgresRole(change: PostgresRoleChange): Promise<void> {
  parseAdminUrl(change.adminUrl);
  if (change.outbound)
    checkPostgresUrl(change.outbound.allow, change.adminUrl, 'postgres-role connection host');
  try {
    await setPassword(change, change.newPassword);
  } catch (err) {
    throw hushError('ALTER_ROLE_FAILED_DATABASE_PASSWORD', { role: change.role, err: pgReason(err, change) });
  }
  if (await canLogIn(change, change.newPassword)) return;
  const restored = await restorePostgresRole(change);
  throw hushError('ROLE_COULD_NOT_LOG_NEW', {
    role: change.role,
    value: restored
      ? 'the old password was restored'
      : 'the old password could NOT be restored: set it by hand to the current version',
  });
}

/** Put the old password back (after a later step failed); true when it was restored. */
export async function restorePostgresRole(change: PostgresRoleChange): Promise<boolean> {
  if (change.oldPassword === undefined) return false;
  try {
    await setPassword(change, change.oldPassword);
    return true;
  } catch {
    return false;
  }
}

import pg from 'pg';
import { hushError } from '../core/errors/index.js';

/** What the postgres-role rotator needs for one role. */
export interface PostgresRoleChange {
  /** Admin connection URL (from the policy's connection secret); never printed. */
  readonly adminUrl: string;
  readonly role: string;
  readonly newPassword: string;
  /** The password `current` holds, to restore if the new one cannot be verified; absent on a first rotation. */
  readonly oldPassword?: string;
  readonly connectTimeoutMs?: number;
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

async function withClient<T>(url: string, timeoutMs: number, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
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
async function setPassword(
  adminUrl: string,
  role: string,
  password: string,
  timeoutMs: number,
): Promise<void> {
  await withClient(adminUrl, timeoutMs, async (c) => {
    await c.query(`ALTER ROLE ${pg.escapeIdentifier(role)} WITH PASSWORD ${pg.escapeLiteral(password)}`);
  });
}

async function canLogIn(
  adminUrl: string,
  role: string,
  password: string,
  timeoutMs: number,
): Promise<boolean> {
  try {
    await withClient(roleUrl(adminUrl, role, password), timeoutMs, (c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

function pgReason(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'connection failed';
}

/**
 * Set a role's password and prove it by logging in as the role. If the login fails, the old password is put back
 * so the database keeps matching `current`. Throws HUSH_E_ROTATION_FAILED (naming the role, never a password).
 */
export async function rotatePostgresRole(change: PostgresRoleChange): Promise<void> {
  const timeoutMs = change.connectTimeoutMs ?? 10_000;
  parseAdminUrl(change.adminUrl);
  try {
    await setPassword(change.adminUrl, change.role, change.newPassword, timeoutMs);
  } catch (err) {
    throw hushError('ALTER_ROLE_FAILED_DATABASE_PASSWORD', { role: change.role, err: pgReason(err) });
  }
  if (await canLogIn(change.adminUrl, change.role, change.newPassword, timeoutMs)) return;
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
    await setPassword(change.adminUrl, change.role, change.oldPassword, change.connectTimeoutMs ?? 10_000);
    return true;
  } catch {
    return false;
  }
}

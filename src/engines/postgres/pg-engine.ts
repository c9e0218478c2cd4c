import type { OutboundGuard } from '../../net/outbound-allow-list.js';
import type { EngineConfig, EngineRole } from '../engine-records.js';
import { type AdminTarget, runInTransaction, withAdmin } from './pg-admin.js';
import { generatePassword, generateUsername } from './pg-credentials.js';
import { renderTemplate } from './pg-template.js';

/** Credentials issued for one lease. The password exists only in this reply, never in storage or logs. */
export interface IssuedCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * An engine as connected to: its stored config and, on a server, the outbound allow-list checked at connect time
 * and the log that hears why a connection failed.
 */
export type EngineTarget = EngineConfig & { readonly outbound?: OutboundGuard };

/** The engine config with the allow-list its connections are checked against (none in local mode). */
export function engineTarget(config: EngineTarget, outbound?: OutboundGuard): EngineTarget {
  return outbound ? { ...config, outbound } : config;
}

const target = (config: EngineTarget): AdminTarget => ({
  engine: config.name,
  connectionUrl: config.connectionUrl,
  ...(config.outbound ? { outbound: config.outbound.allow, log: config.outbound.log } : {}),
});

/** Check the admin connection works (`SELECT 1`), so a wrong URL fails at configuration time. */
export async function verifyConnection(config: EngineTarget): Promise<void> {
  await withAdmin(target(config), 'the connection check', async (c) => {
    await c.query('SELECT 1');
  });
}

/** Create a role from the creation template with `VALID UNTIL` = `validUntil`, in one transaction. */
export async function createCredentials(
  config: EngineTarget,
  role: EngineRole,
  username: string,
  validUntil: Date,
  password: string = generatePassword(),
): Promise<IssuedCredentials> {
  const sql = renderTemplate(role.creationSql, { name: username, password, expiration: validUntil });
  await withAdmin(
    target(config),
    `the creation SQL of role "${role.role}"`,
    (c) => runInTransaction(c, sql),
    [password],
  );
  return { username, password };
}

/** Move the role's DB-side expiry (`VALID UNTIL`) with the renewal template. */
export async function extendCredentials(
  config: EngineTarget,
  renewalSql: string,
  username: string,
  validUntil: Date,
): Promise<void> {
  const sql = renderTemplate(renewalSql, { name: username, expiration: validUntil });
  await withAdmin(target(config), 'the renewal SQL', (c) => runInTransaction(c, sql));
}

/**
 * Run the revocation template. Idempotent: a role that no longer exists (revoked by an earlier attempt whose
 * outcome was lost, or never created because issuing failed) counts as revoked.
 */
export async function revokeCredentials(
  config: EngineTarget,
  revocationSql: string,
  username: string,
): Promise<void> {
  await withAdmin(target(config), 'the revocation SQL', async (c) => {
    const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [username]);
    if (exists.rowCount === 0) return;
    await runInTransaction(c, renderTemplate(revocationSql, { name: username }));
  });
}

export { generateUsername };

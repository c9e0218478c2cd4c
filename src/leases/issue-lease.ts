import { randomBytes } from 'node:crypto';
import { isHushError } from '../core/errors/hush-error.js';
import { checkName } from '../engines/engine-names.js';
import { loadEngine, loadRole } from '../engines/engine-records.js';
import { createCredentials, generateUsername } from '../engines/postgres/pg-engine.js';
import { type LeaseRecord, leaseKey } from './lease-records.js';
import { type RevokeDeps, revokeLease } from './revoke-lease.js';

/** Who a lease belongs to: the caller's identity and token accessor (never the token). */
export interface LeaseOwner {
  readonly identity: string;
  readonly tokenAccessor: string;
}

/** What `hush creds read` returns, once: the password is never stored. */
export interface IssuedLease {
  readonly username: string;
  readonly password: string;
  readonly leaseId: string;
  /** Seconds until the lease expires. */
  readonly ttl: number;
  readonly renewable: boolean;
  readonly expireAt: string;
}

/**
 * Issue credentials for `engine/role`. The lease is persisted BEFORE the database role is created, so a crash in
 * between leaves a lease that the expiry job revokes (revocation treats a missing role as done). If creation fails
 * before connecting, the lease is deleted; if it fails later (a statement, or a connection lost around COMMIT, when
 * the role may or may not exist), the lease is revoked at once or queued, so no role is ever orphaned.
 */
export async function issueLease(
  deps: RevokeDeps,
  engineName: string,
  roleName: string,
  owner: LeaseOwner,
): Promise<IssuedLease> {
  checkName(engineName, 'engine');
  checkName(roleName, 'role');
  const engine = await loadEngine(deps.records, engineName);
  const role = await loadRole(deps.records, engineName, roleName);
  const now = deps.clock().getTime();
  const expireAt = new Date(now + role.ttlMs);
  const leaseId = `creds/${engineName}/${roleName}/${randomBytes(16).toString('hex')}`;
  const username = generateUsername(engineName, roleName);
  const lease: LeaseRecord = {
    leaseId,
    engine: engineName,
    role: roleName,
    username,
    issuedAt: new Date(now).toISOString(),
    expireAt: expireAt.toISOString(),
    maxExpireAt: new Date(now + role.maxTtlMs).toISOString(),
    revocationSql: role.revocationSql,
    renewalSql: role.renewalSql,
    owner: { identity: owner.identity, tokenAccessor: owner.tokenAccessor },
  };
  const key = leaseKey(leaseId);
  await deps.records.batch([{ op: 'put', key, value: lease }]);
  let password: string;
  try {
    // The DB refuses the role a margin after expiry: a DB clock ahead of ours must not cut a valid lease short.
    ({ password } = await createCredentials(
      engine,
      role,
      username,
      new Date(expireAt.getTime() + engine.validUntilMarginMs),
    ));
  } catch (err) {
    if (isHushError(err) && err.details?.['phase'] === 'connect') {
      await deps.records.batch([{ op: 'delete', key }]).catch(() => undefined); // else the job revokes it later
    } else {
      await revokeLease(deps, leaseId, 'revoked').catch(() => undefined); // queued if it cannot run now
    }
    throw err;
  }
  return {
    username,
    password,
    leaseId,
    ttl: Math.floor(role.ttlMs / 1000),
    renewable: role.maxTtlMs > role.ttlMs,
    expireAt: lease.expireAt,
  };
}

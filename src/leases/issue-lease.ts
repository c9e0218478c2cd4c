import { randomBytes } from 'node:crypto';
import { checkName } from '../engines/engine-names.js';
import { loadEngine, loadRole } from '../engines/engine-records.js';
import { createCredentials, generateUsername } from '../engines/postgres/pg-engine.js';
import type { RecordStore } from '../identity/record-store.js';
import { type LeaseRecord, leaseKey } from './lease-records.js';

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
 * between leaves a lease that the expiry job revokes (revocation treats a missing role as done); if creation fails,
 * the transaction rolled back and the lease is deleted again.
 */
export async function issueLease(
  deps: { readonly records: RecordStore; readonly clock: () => Date },
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
    await deps.records.batch([{ op: 'delete', key }]).catch(() => undefined); // the job revokes it otherwise
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

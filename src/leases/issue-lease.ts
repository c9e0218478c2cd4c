import { randomBytes } from 'node:crypto';
import { type HushError, isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { checkName } from '../engines/engine-names.js';
import { type EngineConfig, engineKey, loadEngine, loadRole } from '../engines/engine-records.js';
import { generatePassword } from '../engines/postgres/pg-credentials.js';
import {
  createCredentials,
  engineTarget,
  generateUsername,
  revokeCredentials,
} from '../engines/postgres/pg-engine.js';
import { checkStatements } from '../engines/postgres/pg-statement-check.js';
import { type LeaseRecord, leaseKey } from './lease-records.js';
import { type RevokeDeps, revokeLease } from './revoke-lease.js';

/** Who a lease belongs to: the caller's identity and token accessor (never the token). */
export interface LeaseOwner {
  readonly identity: string;
  readonly tokenAccessor: string;
}

/**
 * Whether the lease's owner (the requesting token) has not been revoked, read fresh: the issue backs out when the
 * token was revoked while the lease was being written, since that revocation's lease scan may have run before the
 * lease existed. (Revoked, not merely gone: a use-limited token's last use removes it, and that use may still read.)
 */
export type OwnerLive = () => Promise<boolean>;

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
 *
 * Revocations that race the issue (the owner's token revoked, the engine deleted) scan leases after they stop new
 * ones (token rows deleted, engine marked). So, after writing the lease, the engine and the owner are read again
 * (a revocation that scanned before the lease existed is seen here), and after creating the role the lease is read
 * again (a revocation that ran before the role existed is seen here, and revoked once more).
 */
export async function issueLease(
  deps: RevokeDeps,
  engineName: string,
  roleName: string,
  owner: LeaseOwner,
  ownerLive?: OwnerLive,
): Promise<IssuedLease> {
  checkName(engineName, 'engine');
  checkName(roleName, 'role');
  const engine = engineTarget(await loadEngine(deps.records, engineName), deps.outbound);
  if (engine.deleting) throw beingDeleted(engineName);
  const role = await loadRole(deps.records, engineName, roleName);
  // A role stored before the allow-list existed (or restored from an old snapshot) is checked before it runs.
  if (!role.allowUnlistedStatements) {
    checkStatements('creation', role.creationSql);
    checkStatements('revocation', role.revocationSql);
    checkStatements('renewal', role.renewalSql);
  }
  const now = deps.clock().getTime();
  const expireAt = new Date(now + role.ttlMs);
  const leaseId = `creds/${engineName}/${roleName}/${randomBytes(16).toString('hex')}`;
  const username = generateUsername(engineName, roleName);
  // Chosen here so its keyed digest is in the lease from the start: remediation finds a leaked password's lease.
  const password = generatePassword();
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
    credentialId: await deps.records.lookupId(password),
  };
  const key = leaseKey(leaseId);
  await deps.records.batch([{ op: 'put', key, value: lease }]);
  const again = await deps.records.get<EngineConfig>(engineKey(engineName));
  const stop = !again || again.value.deleting ? beingDeleted(engineName) : await ownerGone(ownerLive);
  if (stop) {
    await deps.records.batch([{ op: 'delete', key }]); // no role exists yet
    throw stop;
  }
  try {
    // The DB refuses the role a margin after expiry: a DB clock ahead of ours must not cut a valid lease short.
    await createCredentials(
      engine,
      role,
      username,
      new Date(expireAt.getTime() + engine.validUntilMarginMs),
      password,
    );
  } catch (err) {
    if (isHushError(err) && err.details?.['phase'] === 'connect') {
      await deps.records.batch([{ op: 'delete', key }]).catch(() => undefined); // else the job revokes it later
    } else {
      await revokeLease(deps, leaseId, 'revoked').catch(() => undefined); // queued if it cannot run now
    }
    throw err;
  }
  const written = await deps.records.get<LeaseRecord>(key);
  if (!written || written.value.revocation) {
    // Revoked while the role was being created: its DROP may have run first. Drop it again, now that it exists,
    // with the engine and statements in hand (the engine may be deleted by now, so nothing is read back). If that
    // fails, the lease goes back on the queue, to be retried like any revocation.
    try {
      await revokeCredentials(engine, role.revocationSql, username);
      if (written) await deps.records.batch([{ op: 'delete', key }]);
    } catch {
      if (!written) await deps.records.batch([{ op: 'put', key, value: lease }]).catch(() => undefined);
      await revokeLease(deps, leaseId, 'revoked').catch(() => undefined);
    }
    throw hushError('LEASE_REVOKED_WHILE_CREDENTIALS_BEING', { engineName });
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

function beingDeleted(engine: string): HushError {
  return hushError('SECRETS_ENGINE_BEING_DELETED', { engine });
}

async function ownerGone(ownerLive: OwnerLive | undefined): Promise<HushError | undefined> {
  if (!ownerLive || (await ownerLive())) return undefined;
  return hushError('TOKEN_REVOKED_WHILE_CREDENTIALS_BEING');
}

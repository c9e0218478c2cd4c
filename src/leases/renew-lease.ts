import { hushError } from '../core/errors/index.js';
import { type EngineRole, loadEngine, roleKey } from '../engines/engine-records.js';
import { engineTarget, extendCredentials } from '../engines/postgres/pg-engine.js';
import type { OutboundGuard } from '../net/outbound-allow-list.js';
import { retryCas, type SealedView } from '../store/sealed-view/index.js';
import { type LeaseRecord, type LeaseView, leaseKey, viewLease } from './lease-records.js';

/**
 * Renew a lease by `incrementMs` from now (default: the role's TTL), never past its max TTL. The database's
 * `VALID UNTIL` moves first; the stored expiry only after that succeeded, so the DB never refuses a lease we honour.
 */
export async function renewLease(
  deps: { readonly records: SealedView; readonly clock: () => Date; readonly outbound?: OutboundGuard },
  lease: LeaseRecord,
  incrementMs?: number,
): Promise<LeaseView> {
  const now = deps.clock().getTime();
  if (lease.revocation) {
    throw hushError('LEASE_BEING_REVOKED', { leaseId: lease.leaseId });
  }
  if (Date.parse(lease.expireAt) <= now) {
    throw hushError('LEASE_LEASE_ID_EXPIRED_EXPIRE', { leaseId: lease.leaseId, expireAt: lease.expireAt });
  }
  const engine = engineTarget(await loadEngine(deps.records, lease.engine), deps.outbound);
  // The role's current statements win (a fixed template helps old leases); the lease's copy if it was deleted.
  const role = (await deps.records.get<EngineRole>(roleKey(lease.engine, lease.role)))?.value;
  const inc = incrementMs ?? role?.ttlMs;
  if (inc === undefined) {
    throw hushError('ROLE_NO_LONGER_EXISTS', { engine: lease.engine, role: lease.role });
  }
  const max = Date.parse(lease.maxExpireAt);
  const expire = Math.min(now + inc, max);
  await extendCredentials(
    engine,
    role?.renewalSql ?? lease.renewalSql,
    lease.username,
    new Date(expire + engine.validUntilMarginMs),
  );
  const key = leaseKey(lease.leaseId);
  const saved = await retryCas(async () => {
    const found = await deps.records.get<LeaseRecord>(key);
    if (!found || found.value.revocation) {
      throw hushError('LEASE_REVOKED_WHILE_RENEWING', { leaseId: lease.leaseId });
    }
    const updated: LeaseRecord = { ...found.value, expireAt: new Date(expire).toISOString() };
    await deps.records.batch([{ op: 'put', key, value: updated, expectedRevision: found.revision }]);
    return updated;
  });
  return viewLease(saved, now);
}

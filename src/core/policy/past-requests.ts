import type { AuditRecord } from '../audit/audit-record.js';
import { REQUESTABLE_CAPABILITIES, type RequestedCapability } from './capabilities.js';
import type { PastCheck, PastRequest } from './simulate-policy.js';

const REQUESTABLE = new Set<string>(REQUESTABLE_CAPABILITIES);

/** How an audit record can be replayed: as is, only with the token's current policies, or not at all. */
export type ReplayableRecord =
  | { readonly kind: 'replay'; readonly request: PastRequest }
  | {
      readonly kind: 'needs-policies';
      readonly accessor: string;
      readonly request: Omit<PastRequest, 'policies'>;
    }
  | { readonly kind: 'skip'; readonly why: 'not-decided' | 'no-checks' };

/**
 * Read what a policy replay needs from one audit record: its outcome was `allowed` or `denied`, and its `authz`
 * detail (written since the policy simulator exists) names the checks made and the token's policy names. A record
 * with checks but no policy names (a caller not backed by a stored token) can be replayed with the token's current
 * policies, found by its accessor; a record without checks (older, or a request that needed none) is skipped.
 */
export function replayableRecord(record: AuditRecord): ReplayableRecord {
  if (record.outcome !== 'allowed' && record.outcome !== 'denied')
    return { kind: 'skip', why: 'not-decided' };
  const authz = record.details?.['authz'];
  if (authz === null || typeof authz !== 'object' || Array.isArray(authz))
    return { kind: 'skip', why: 'no-checks' };
  const checks = checksOf(authz['checks']);
  if (checks.length === 0) return { kind: 'skip', why: 'no-checks' };
  const base = {
    time: record.time,
    requestId: record.requestId,
    identity: record.identity,
    accessor: record.tokenAccessor,
    operation: record.operation,
    checks,
  };
  const policies = authz['policies'];
  if (Array.isArray(policies) && policies.every((p) => typeof p === 'string')) {
    return { kind: 'replay', request: { ...base, policies: policies as string[], policiesAsOf: 'record' } };
  }
  if (record.tokenAccessor === null) return { kind: 'skip', why: 'no-checks' };
  return {
    kind: 'needs-policies',
    accessor: record.tokenAccessor,
    request: { ...base, policiesAsOf: 'current' },
  };
}

/** The checks of an `authz` detail; the route capability `sudo` is the policy capability `admin`. */
function checksOf(value: unknown): PastCheck[] {
  if (!Array.isArray(value)) return [];
  const out: PastCheck[] = [];
  for (const c of value) {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) return [];
    const { path, capability } = c as Record<string, unknown>;
    const cap = capability === 'sudo' ? 'admin' : capability;
    if (typeof path !== 'string' || typeof cap !== 'string' || !REQUESTABLE.has(cap)) return [];
    out.push({ path, capability: cap as RequestedCapability });
  }
  return out;
}

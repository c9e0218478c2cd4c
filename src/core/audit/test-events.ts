import { type AuditEvent, type AuditRecord, GENESIS_HEAD } from './audit-record.js';
import { chainRecord } from './hash-chain.js';

/** A plausible event for tests (test helper, not part of the public API). */
export function sampleEvent(i: number, over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    time: new Date(Date.UTC(2026, 5, 1, 12, 0, i)).toISOString(),
    requestId: `req-${i}`,
    identity: i % 2 ? 'user:amy' : 'approle:ci',
    tokenAccessor: `acc_${i}`,
    authMethod: 'token',
    sourceAddress: '127.0.0.1',
    operation: 'secret.read',
    path: i % 3 ? 'payments/prod/db/password' : 'billing/reports/q1',
    outcome: i % 4 === 0 ? 'denied' : 'allowed',
    errorCode: i % 4 === 0 ? 'HUSH_E_FORBIDDEN' : null,
    ...over,
  };
}

/** A valid chain of `n` sample records (test helper). */
export function buildChain(n: number): AuditRecord[] {
  let head = GENESIS_HEAD;
  const out: AuditRecord[] = [];
  for (let i = 1; i <= n; i++) {
    const r = chainRecord(head, sampleEvent(i));
    out.push(r.record);
    head = r.head;
  }
  return out;
}

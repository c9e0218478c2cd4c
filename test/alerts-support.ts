import { type AlertsConfigInput, alertsConfigSchema } from '../src/core/alerts/alerts-config.js';
import type { AuditEvent, AuditRecord, ChainHead } from '../src/core/audit/audit-record.js';
import { GENESIS_HEAD } from '../src/core/audit/audit-record.js';
import { chainRecord } from '../src/core/audit/hash-chain.js';

/** Parse an alerts config the way the server would. */
export function alertsConfig(input: AlertsConfigInput = {}) {
  return alertsConfigSchema.parse(input);
}

/**
 * Chained audit records as the audit plugin writes them (real hash chain; `details` carries status and method,
 * like `eventFor`). `at` is seconds after `start`.
 */
export function auditStream(start = Date.UTC(2026, 10, 23, 10, 0, 0)) {
  let head: ChainHead = GENESIS_HEAD;
  let n = 0;
  return function record(at: number, over: Partial<AuditEvent> & Pick<AuditEvent, 'operation'>): AuditRecord {
    n++;
    const outcome = over.outcome ?? 'allowed';
    const status =
      outcome === 'allowed'
        ? 200
        : outcome === 'denied'
          ? over.errorCode === 'HUSH_E_FORBIDDEN'
            ? 403
            : 401
          : 500;
    const event: AuditEvent = {
      time: new Date(start + at * 1000).toISOString(),
      requestId: `req-${n}`,
      identity: null,
      tokenAccessor: null,
      authMethod: null,
      sourceAddress: '10.0.0.5',
      path: null,
      errorCode: null,
      ...over,
      outcome,
      details: { status, method: 'GET', ...(over.details ?? {}) },
    };
    const chained = chainRecord(head, event);
    head = chained.head;
    return chained.record;
  };
}

/** A successful secret read by `identity` (token auth). */
export function read(identity: string, path: string): Partial<AuditEvent> & Pick<AuditEvent, 'operation'> {
  return { operation: 'secrets.read', identity, tokenAccessor: `acc-${identity}`, authMethod: 'token', path };
}

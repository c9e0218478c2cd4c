import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit/audit-record.js';
import { blastRadius } from './blast-radius.js';

let seq = 0;
function rec(over: Partial<AuditRecord>): AuditRecord {
  seq++;
  return {
    v: 1,
    seq,
    prev: '0'.repeat(64),
    hash: '0'.repeat(64),
    time: `2026-11-0${Math.min(9, 1 + Math.floor(seq / 3))}T10:00:00.000Z`,
    requestId: `r${seq}`,
    identity: 'approle:api',
    tokenAccessor: 'acc_api',
    authMethod: 'approle',
    sourceAddress: '10.0.0.5',
    operation: 'secrets.read',
    path: 'payments/prod/db',
    outcome: 'allowed',
    errorCode: null,
    ...over,
  };
}

describe('blast radius', () => {
  const records = [
    rec({}),
    rec({ sourceAddress: '10.0.0.6', tokenAccessor: 'acc_api2' }),
    rec({
      identity: 'user:amy',
      tokenAccessor: 'acc_amy',
      operation: 'secrets.export',
      path: 'payments/prod',
    }),
    rec({
      identity: 'user:bob',
      tokenAccessor: 'acc_bob',
      operation: 'secrets.export',
      path: 'payments/dev',
    }),
    rec({
      identity: 'user:eve',
      outcome: 'denied',
      errorCode: 'HUSH_E_FORBIDDEN',
      sourceAddress: '203.0.113.9',
    }),
    rec({ identity: 'user:ops', operation: 'secrets.write' }),
    rec({ identity: 'user:carl', path: 'payments/prod/other' }),
    rec({ identity: 'user:dan', outcome: 'error', errorCode: 'HUSH_E_STORAGE' }),
    rec({ identity: 'user:fay', operation: 'secrets.metadata.read' }),
  ];

  it('lists readers (incl. exports of a parent prefix), writers and denied attempts, with tokens and addresses', () => {
    const r = blastRadius(records, { path: 'payments/prod/db' });
    expect(r.readers.map((p) => p.identity)).toEqual(['approle:api', 'user:amy']);
    expect(r.readers[0]).toMatchObject({
      count: 2,
      tokenAccessors: ['acc_api', 'acc_api2'],
      sourceAddresses: ['10.0.0.5', '10.0.0.6'],
    });
    expect(r.readers[1]?.operations).toEqual(['secrets.export']);
    expect(r.writers.map((p) => p.identity)).toEqual(['user:ops']);
    expect(r.denied).toMatchObject([{ identity: 'user:eve', sourceAddresses: ['203.0.113.9'] }]);
    expect(r.examined).toBe(records.length);
  });

  it('takes a glob and a period', () => {
    const all = blastRadius(records, { path: 'payments/prod/**' });
    expect(all.readers.map((p) => p.identity).sort()).toEqual(['approle:api', 'user:amy', 'user:carl']);
    // Records 1-2 are dated 2026-11-01, 3-5 2026-11-02, 6-8 2026-11-03.
    const later = blastRadius(records, { path: 'payments/prod/db', since: new Date('2026-11-02T00:00:00Z') });
    expect(later.readers.map((p) => p.identity)).toEqual(['user:amy']);
    expect(later.denied.map((p) => p.identity)).toEqual(['user:eve']);
    expect(later.since).toBe('2026-11-02T00:00:00.000Z');
    const window = blastRadius(records, {
      path: 'payments/prod/db',
      since: new Date('2026-11-02T00:00:00Z'),
      until: new Date('2026-11-03T00:00:00Z'),
    });
    expect(window.writers).toEqual([]);
    expect(window.examined).toBe(3);
  });

  it('rejects an invalid path glob with a coded error', () => {
    expect(() => blastRadius(records, { path: 'payments/../x' })).toThrow(
      expect.objectContaining({ code: 'HUSH_E_INVALID_INPUT' }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit/audit-record.js';
import { replayableRecord } from './past-requests.js';

const base: AuditRecord = {
  v: 1,
  seq: 7,
  prev: '0'.repeat(64),
  hash: '1'.repeat(64),
  time: '2026-06-01T12:00:00.000Z',
  requestId: 'r1',
  identity: 'approle:ci',
  tokenAccessor: 'acc1',
  authMethod: 'token',
  sourceAddress: '127.0.0.1',
  operation: 'sys.seal',
  path: null,
  outcome: 'allowed',
  errorCode: null,
};

describe('replayableRecord', () => {
  it('reads the checks (sudo is admin) and the policy names the record kept', () => {
    const r = replayableRecord({
      ...base,
      details: { authz: { checks: [{ path: 'sys/seal', capability: 'sudo' }], policies: ['ops'] } },
    });
    expect(r).toEqual({
      kind: 'replay',
      request: expect.objectContaining({
        checks: [{ path: 'sys/seal', capability: 'admin' }],
        policies: ['ops'],
        policiesAsOf: 'record',
      }),
    });
  });

  it('asks for the current policies when the record names none, and skips what cannot be replayed', () => {
    const noPolicies = replayableRecord({
      ...base,
      details: { authz: { checks: [{ path: 'a/b', capability: 'read' }] } },
    });
    expect(noPolicies).toMatchObject({
      kind: 'needs-policies',
      accessor: 'acc1',
      request: { policiesAsOf: 'current' },
    });
    expect(replayableRecord({ ...base, details: { status: 200 } })).toEqual({
      kind: 'skip',
      why: 'no-checks',
    });
    expect(replayableRecord({ ...base, outcome: 'error' })).toEqual({ kind: 'skip', why: 'not-decided' });
    const bogus = { authz: { checks: [{ path: 'a', capability: 'fly' }], policies: ['x'] } };
    expect(replayableRecord({ ...base, details: bogus })).toEqual({ kind: 'skip', why: 'no-checks' });
  });
});

import { describe, expect, it } from 'vitest';
import { checkLeaseId, checkLeasePrefix, type LeaseRecord, viewLease } from './lease-records.js';
import { backoffDelay } from './revoke-lease.js';

const lease: LeaseRecord = {
  leaseId: `creds/main/ro/${'a'.repeat(32)}`,
  engine: 'main',
  role: 'ro',
  username: 'h_main_ro_1',
  issuedAt: '2026-06-01T00:00:00.000Z',
  expireAt: '2026-06-01T01:00:00.000Z',
  maxExpireAt: '2026-06-02T00:00:00.000Z',
  revocationSql: 'DROP ROLE {{name}}',
  renewalSql: 'ALTER ROLE {{name}} VALID UNTIL {{expiration}}',
  owner: { identity: 'token:root', tokenAccessor: 'acc' },
};

describe('lease ids, views and backoff', () => {
  it('accepts only well-formed ids and prefixes', () => {
    expect(checkLeaseId(lease.leaseId)).toBe(lease.leaseId);
    for (const bad of [
      'creds/main/ro/xyz',
      '../creds',
      `creds/Main/ro/${'a'.repeat(32)}`,
      `sys/x/y/${'a'.repeat(32)}`,
    ])
      expect(() => checkLeaseId(bad)).toThrow(/malformed/);
    for (const good of ['creds', 'creds/', 'creds/main', 'creds/main/ro', 'creds/main/ro/aa'])
      expect(checkLeasePrefix(good)).toBe(good);
    for (const bad of ['', 'sys', 'creds/../x', 'creds/a/b/c/d'])
      expect(() => checkLeasePrefix(bad)).toThrow(/malformed/);
  });

  it('shows ttl and renewability at a given instant, and a queued revocation as revoking', () => {
    const at = Date.parse('2026-06-01T00:30:00Z');
    expect(viewLease(lease, at)).toMatchObject({ ttl: 1800, renewable: true, state: 'active' });
    expect(viewLease(lease, Date.parse(lease.expireAt))).toMatchObject({ ttl: 0, renewable: false });
    const queued = {
      ...lease,
      revocation: {
        reason: 'revoked' as const,
        requestedAt: lease.issuedAt,
        attempts: 2,
        nextAttemptAt: lease.expireAt,
      },
    };
    expect(viewLease(queued, at)).toMatchObject({
      state: 'revoking',
      renewable: false,
      revocation: { attempts: 2 },
    });
  });

  it('doubles the retry delay up to the cap', () => {
    const b = { baseMs: 5_000, capMs: 60_000 };
    expect([1, 2, 3, 4, 5, 100].map((n) => backoffDelay(b, n))).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
  });
});

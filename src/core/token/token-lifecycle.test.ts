import { describe, expect, it } from 'vitest';
import type { HushError } from '../errors/hush-error.js';
import {
  consumeTokenUse,
  createTokenRecord,
  type NewTokenSpec,
  renewTokenRecord,
  type TokenRecord,
  tokenDescendants,
  tokenUnusableReason,
} from './token-lifecycle.js';

const H = 3_600_000;
const spec = (over: Partial<NewTokenSpec> = {}): NewTokenSpec => ({
  lookupId: 'id',
  accessor: 'acc_1',
  type: 'service',
  identity: 'user:amy',
  policies: ['a', 'b'],
  ttlMs: H,
  ...over,
});

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as HushError).code;
  }
  return 'none';
}

describe('token lifecycle', () => {
  it('creates records with ttl, max ttl and use limits', () => {
    const r = createTokenRecord(spec({ maxTtlMs: 2 * H, numUses: 2, policies: ['a', 'a'] }), 1000);
    expect(r).toMatchObject({
      createdAt: 1000,
      expiresAt: 1000 + H,
      maxExpiresAt: 1000 + 2 * H,
      renewable: true,
      usesRemaining: 2,
      parentAccessor: null,
      policies: ['a'],
    });
    expect(createTokenRecord(spec({ ttlMs: 0 }), 0)).toMatchObject({ expiresAt: null, renewable: false });
    expect(createTokenRecord(spec({ ttlMs: 5 * H, maxTtlMs: H }), 0).expiresAt).toBe(H);
    expect(createTokenRecord(spec({ type: 'batch' }), 0).renewable).toBe(false);
    expect(codeOf(() => createTokenRecord(spec({ ttlMs: -1 }), 0))).toBe('HUSH_E_INVALID_INPUT');
    expect(codeOf(() => createTokenRecord(spec({ numUses: 0 }), 0))).toBe('HUSH_E_INVALID_INPUT');
  });

  it('expires, and renews up to the max ttl only', () => {
    const r = createTokenRecord(spec({ maxTtlMs: 90 * 60_000 }), 0);
    expect(tokenUnusableReason(r, H - 1)).toBeUndefined();
    expect(tokenUnusableReason(r, H)).toMatch(/expired at 1970-01-01T01:00:00.000Z/);
    const renewed = renewTokenRecord(r, 50 * 60_000);
    expect(renewed.expiresAt).toBe(90 * 60_000); // capped by max ttl, not 50 + 60 minutes
    expect(renewTokenRecord(r, 10 * 60_000, 60_000).expiresAt).toBe(11 * 60_000);
    expect(codeOf(() => renewTokenRecord(r, H))).toBe('HUSH_E_UNAUTHENTICATED');
    expect(codeOf(() => renewTokenRecord(createTokenRecord(spec({ type: 'batch' }), 0), 1))).toBe(
      'HUSH_E_FORBIDDEN',
    );
  });

  it('counts uses and reports exhaustion', () => {
    const r = createTokenRecord(spec({ numUses: 2 }), 0);
    const a = consumeTokenUse(r, 1);
    expect(a).toMatchObject({ exhausted: false, record: { usesRemaining: 1 } });
    const b = consumeTokenUse(a.record, 2);
    expect(b.exhausted).toBe(true);
    expect(codeOf(() => consumeTokenUse(b.record, 3))).toBe('HUSH_E_UNAUTHENTICATED');
    const unlimited = createTokenRecord(spec(), 0);
    expect(consumeTokenUse(unlimited, 1).record).toBe(unlimited);
  });

  it('children get a subset of the parent policies and cannot outlive it', () => {
    const parent = createTokenRecord(spec({ maxTtlMs: 2 * H }), 0);
    const child = createTokenRecord(spec({ accessor: 'acc_2', policies: ['a'], ttlMs: 10 * H, parent }), 0);
    expect(child).toMatchObject({ parentAccessor: 'acc_1', expiresAt: H, maxExpiresAt: H });
    expect(() => createTokenRecord(spec({ policies: ['a', 'root'], parent }), 0)).toThrow(
      /only carry its parent's policies; remove "root"/,
    );
    const batch = createTokenRecord(spec({ type: 'batch' }), 0);
    expect(codeOf(() => createTokenRecord(spec({ parent: batch }), 0))).toBe('HUSH_E_FORBIDDEN');
  });

  it('finds every descendant for tree revocation, parents first, surviving cycles', () => {
    const recs: Pick<TokenRecord, 'accessor' | 'parentAccessor'>[] = [
      { accessor: 'root', parentAccessor: null },
      { accessor: 'c1', parentAccessor: 'root' },
      { accessor: 'c2', parentAccessor: 'root' },
      { accessor: 'g1', parentAccessor: 'c1' },
      { accessor: 'other', parentAccessor: null },
      { accessor: 'x', parentAccessor: 'y' },
      { accessor: 'y', parentAccessor: 'x' },
    ];
    expect(tokenDescendants(recs, 'root')).toEqual(['c1', 'c2', 'g1']);
    expect(tokenDescendants(recs, 'c2')).toEqual([]);
    expect(tokenDescendants(recs, 'x')).toEqual(['y']);
  });
});

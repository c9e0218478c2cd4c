import { describe, expect, it } from 'vitest';
import { parsePolicy } from './compile-policy.js';
import { canListPrefix, filterReadable } from './list-filter.js';
import { type IdentityPolicies, whoCan } from './who-can.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const team = parsePolicy({
  name: 'team',
  rules: [
    { path: 'payments/*/db/**', capabilities: ['read'] },
    { path: 'payments/prod/db/root', capabilities: ['deny'] },
    { path: 'payments/secret-project/**', capabilities: ['deny'] },
    { path: 'billing/reports', capabilities: ['list'] },
    { path: 'old/**', capabilities: ['read'], expiresAt: '2026-01-01T00:00:00Z' },
  ],
});

describe('filterReadable', () => {
  it('keeps only readable paths, in order', () => {
    const paths = [
      'payments/prod/db/password',
      'payments/prod/db/root',
      'payments/prod/api-key',
      'payments/dev/db/user',
      'billing/reports',
      'old/thing',
    ];
    expect(filterReadable([team], paths, NOW)).toEqual(['payments/prod/db/password', 'payments/dev/db/user']);
    expect(filterReadable([], paths, NOW)).toEqual([]);
  });
});

describe('canListPrefix', () => {
  it('shows folders with something readable or listable beneath', () => {
    expect(canListPrefix([team], 'payments', NOW)).toBe(true);
    expect(canListPrefix([team], 'payments/prod', NOW)).toBe(true);
    expect(canListPrefix([team], 'payments/prod/db', NOW)).toBe(true);
    expect(canListPrefix([team], 'billing', NOW)).toBe(true);
    expect(canListPrefix([team], '', NOW)).toBe(true);
  });

  it('hides folders with nothing readable beneath, wholly denied folders and expired grants', () => {
    expect(canListPrefix([team], 'payments/prod/cache', NOW)).toBe(false);
    expect(canListPrefix([team], 'billing/reports', NOW)).toBe(false);
    expect(canListPrefix([team], 'hr', NOW)).toBe(false);
    expect(canListPrefix([team], 'payments/secret-project', NOW)).toBe(false);
    expect(canListPrefix([team], 'payments/secret-project/db', NOW)).toBe(false);
    expect(canListPrefix([team], 'old', NOW)).toBe(false);
    expect(canListPrefix([team], 'old', new Date('2025-06-01T00:00:00Z'))).toBe(true);
    expect(canListPrefix([], '', NOW)).toBe(false);
  });
});

describe('whoCan', () => {
  it('lists the identities allowed, sorted, with the granting rule', () => {
    const admin = parsePolicy({ name: 'admin', rules: [{ path: '**', capabilities: ['admin'] }] });
    const lockdown = parsePolicy({
      name: 'lockdown',
      rules: [{ path: 'payments/prod/**', capabilities: ['deny'] }],
    });
    const ids: IdentityPolicies[] = [
      { identity: 'user:zoe', policies: [team] },
      { identity: 'user:amy', policies: [admin] },
      { identity: 'approle:ci', policies: [admin, lockdown] },
      { identity: 'user:bob', policies: [] },
    ];
    const r = whoCan(ids, 'payments/prod/db/password', 'read', NOW);
    expect(r.map((e) => e.identity)).toEqual(['user:amy', 'user:zoe']);
    expect(r[0]?.decision.matchedRule?.policy).toBe('admin');
    expect(whoCan(ids, 'payments/prod/db/password', 'destroy', NOW).map((e) => e.identity)).toEqual([
      'user:amy',
    ]);
    expect(whoCan(ids, 'payments/prod/db/root', 'read', NOW).map((e) => e.identity)).toEqual(['user:amy']);
  });
});

import { describe, expect, it } from 'vitest';
import { parsePolicy } from './compile-policy.js';
import { anyApprovalRule, requiredApprovals } from './required-approvals.js';

const now = new Date('2026-06-01T00:00:00Z');
const guarded = parsePolicy({
  name: 'guarded',
  rules: [{ path: 'app/prod/**', capabilities: ['read'], approvals: 2 }],
});

describe('requiredApprovals', () => {
  it('is the count of the granting rule, and 0 where no rule guards the use', () => {
    expect(requiredApprovals([guarded], 'app/prod/db', 'read', now)).toBe(2);
    expect(requiredApprovals([guarded], 'app/dev/db', 'read', now)).toBe(0);
    expect(requiredApprovals([guarded], 'app/prod/db', 'approve', now)).toBe(0);
    expect(anyApprovalRule([guarded])).toBe(true);
  });

  it('lets the most permissive grant win: a plain grant needs none, two guarded grants need the smaller count', () => {
    const plain = parsePolicy({ name: 'plain', rules: [{ path: 'app/**', capabilities: ['read'] }] });
    const one = parsePolicy({
      name: 'one',
      rules: [{ path: 'app/prod/db', capabilities: ['admin'], approvals: 1 }],
    });
    expect(requiredApprovals([guarded, plain], 'app/prod/db', 'read', now)).toBe(0);
    expect(requiredApprovals([guarded, one], 'app/prod/db', 'read', now)).toBe(1);
    expect(anyApprovalRule([plain])).toBe(false);
  });

  it('is refused on deny and approve rules by the policy schema', () => {
    expect(() =>
      parsePolicy({ name: 'bad', rules: [{ path: 'x', capabilities: ['approve'], approvals: 1 }] }),
    ).toThrow(/cannot require them/);
    expect(() =>
      parsePolicy({ name: 'bad', rules: [{ path: 'x', capabilities: ['read'], approvals: 0 }] }),
    ).toThrow(/approvals/);
  });
});

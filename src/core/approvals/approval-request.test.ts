import { describe, expect, it } from 'vitest';
import { type ApprovalRequest, approvalStatus, usableBy, voteProblem } from './approval-request.js';

const base: ApprovalRequest = {
  id: 'apr_1',
  requester: 'token:alice',
  path: 'gates/prod',
  capability: 'read',
  required: 2,
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T01:00:00.000Z',
  grants: [],
};
const during = new Date('2026-01-01T00:30:00Z');
const after = new Date('2026-01-01T01:00:00Z');
const vote = (approver: string) => ({ approver, at: during.toISOString() });

describe('approval requests', () => {
  it('are pending until N grants, then approved, and expire at expiresAt whatever their votes', () => {
    expect(approvalStatus(base, during)).toBe('pending');
    const approved = { ...base, grants: [vote('bob'), vote('carol')] };
    expect(approvalStatus(approved, during)).toBe('approved');
    expect(approvalStatus(approved, after)).toBe('expired');
    expect(usableBy(approved, 'token:alice', 'gates/prod', 'read', 2, during)).toBe(true);
    expect(usableBy(approved, 'token:alice', 'gates/prod', 'read', 2, after)).toBe(false);
  });

  it('are usable once, by their requester, for their subject, with the approvals required now', () => {
    const approved = { ...base, grants: [vote('bob'), vote('carol')] };
    expect(
      usableBy({ ...approved, usedAt: during.toISOString() }, 'token:alice', 'gates/prod', 'read', 2, during),
    ).toBe(false);
    expect(usableBy(approved, 'token:bob', 'gates/prod', 'read', 2, during)).toBe(false);
    expect(usableBy(approved, 'token:alice', 'gates/dev', 'read', 2, during)).toBe(false);
    expect(usableBy(approved, 'token:alice', 'gates/prod', 'update', 2, during)).toBe(false);
    // A rule raised to three approvals after the request was granted twice: not enough any more.
    expect(usableBy(approved, 'token:alice', 'gates/prod', 'read', 3, during)).toBe(false);
    expect(approvalStatus({ ...approved, denial: vote('dave') }, during)).toBe('denied');
  });

  it('refuse a vote by the requester, a second grant by one approver, and votes on closed requests', () => {
    expect(voteProblem(base, 'token:alice', during)).toBe('self');
    expect(voteProblem({ ...base, grants: [vote('bob')] }, 'bob', during)).toBe('already-voted');
    expect(voteProblem(base, 'bob', after)).toBe('closed');
    expect(voteProblem({ ...base, denial: vote('dave') }, 'bob', during)).toBe('closed');
    expect(voteProblem(base, 'bob', during)).toBeUndefined();
  });
});

/**
 * Approval requests (the two-person rule): a caller asks to use a capability on a path that a policy rule guards
 * with `approvals: N`; other identities holding `approve` on the path grant or deny it; once granted N times it can
 * be used exactly once before it expires. Pure: the service stores these records and supplies the clock.
 */

/** Where a request stands. `expired` is computed from `expiresAt`, never stored. */
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'used' | 'expired';

/** One vote on a request. */
export interface ApprovalVote {
  readonly approver: string;
  readonly at: string;
  readonly comment?: string;
}

/** An approval request as stored (sealed) and shown. */
export interface ApprovalRequest {
  readonly id: string;
  readonly requester: string;
  readonly path: string;
  readonly capability: string;
  readonly reason?: string;
  /**
   * When set, the approval covers only the request whose {@link requestDigest} this is (one exact batch), once;
   * when absent it covers any one use of the capability on the path.
   */
  readonly requestDigest?: string;
  /** Approvals the guarding rule asked for when the request was made. */
  readonly required: number;
  readonly createdAt: string;
  /** After this instant the request (pending or approved) can no longer be used. */
  readonly expiresAt: string;
  readonly grants: readonly ApprovalVote[];
  readonly denial?: ApprovalVote;
  /** Set when the approval was spent (single use). */
  readonly usedAt?: string;
}

/** The status of `request` at `now`. */
export function approvalStatus(request: ApprovalRequest, now: Date): ApprovalStatus {
  if (request.usedAt) return 'used';
  if (request.denial) return 'denied';
  if (now.getTime() >= Date.parse(request.expiresAt)) return 'expired';
  return request.grants.length >= request.required ? 'approved' : 'pending';
}

/** Why a vote is refused, or undefined when `approver` may vote on `request` now. */
export function voteProblem(
  request: ApprovalRequest,
  approver: string,
  now: Date,
): 'self' | 'already-voted' | 'closed' | undefined {
  if (approver === request.requester) return 'self';
  const status = approvalStatus(request, now);
  if (status !== 'pending' && status !== 'approved') return 'closed';
  if (request.grants.some((g) => g.approver === approver)) return 'already-voted';
  // An approved request may take more grants (harmless); a denied, used or expired one is closed.
  return undefined;
}

/**
 * True when `request` lets `requester` use `capability` on `path` once, needing `required` approvals, at `now`. A
 * pinned request (with `requestDigest`) fits only a use whose `digest` is the same; an unpinned one fits any use.
 */
export function usableBy(
  request: ApprovalRequest,
  requester: string,
  path: string,
  capability: string,
  required: number,
  now: Date,
  digest?: string,
): boolean {
  return (
    request.requester === requester &&
    (request.requestDigest === undefined || request.requestDigest === digest) &&
    request.path === path &&
    request.capability === capability &&
    approvalStatus(request, now) !== 'expired' &&
    !request.usedAt &&
    !request.denial &&
    request.grants.length >= required
  );
}

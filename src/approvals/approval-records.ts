import { randomBytes } from 'node:crypto';
import type { ApprovalRequest } from '../core/approvals/index.js';
import { hushError } from '../core/errors/index.js';
import type { SealedView, SealedViewSpec, Versioned } from '../store/sealed-view/index.js';

/**
 * Approval requests are sealed like the other engine records, under their own reserved keyring: who asked for what,
 * and who voted, stays out of storage in the clear (storage sees only the random request ids).
 */
export const APPROVALS_KEYRING = { project: '@approvals', environment: 'v1' } as const;

/** Storage prefix of approval requests (the request id follows). */
export const APPROVAL_PREFIX = 'approvals/requests/';

const ID = /^apr_[0-9a-f]{32}$/;

/** A fresh request id: random, so ids reveal neither order nor count. */
export const newApprovalId = (): string => `apr_${randomBytes(16).toString('hex')}`;

/** Approval requests' view: sealed under the `@approvals` keyring, below `approvals/`. */
export const APPROVALS_VIEW: SealedViewSpec = {
  name: 'approvals',
  prefixes: ['approvals/'],
  keyring: APPROVALS_KEYRING,
  info: { lookup: 'hush approvals lookup v1', record: 'hush approvals record v1' },
};

/** The request `id` with its revision, or HUSH_E_NOT_FOUND (also for a malformed id). */
export async function loadRequest(
  records: Pick<SealedView, 'get'>,
  id: string,
): Promise<Versioned<ApprovalRequest>> {
  const found = ID.test(id) ? await records.get<ApprovalRequest>(`${APPROVAL_PREFIX}${id}`) : undefined;
  if (!found) throw hushError('NO_APPROVAL_REQUEST', { id: id.slice(0, 40) });
  return found;
}

/** Every stored request with its revision. */
export async function allRequests(
  records: Pick<SealedView, 'get' | 'keys'>,
): Promise<Versioned<ApprovalRequest>[]> {
  const out: Versioned<ApprovalRequest>[] = [];
  for (const key of await records.keys(APPROVAL_PREFIX)) {
    const row = await records.get<ApprovalRequest>(key);
    if (row) out.push(row);
  }
  return out;
}

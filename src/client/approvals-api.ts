import type { ApprovalRequestInput, ApprovalView } from '../approvals/index.js';
import {
  type ApprovalStatus,
  type GateArtefact,
  gateRequestDigest,
  transitRequestDigest,
} from '../core/approvals/index.js';
import type { Transport } from './http-transport.js';

export type { ApprovalRequestInput, ApprovalView };

const id = (value: string) => encodeURIComponent(value);

export { type GateArtefact, gateRequestDigest, transitRequestDigest };

/** `approvals`: the two-person rule (requests, votes) and deploy gates. */
export function approvalsApi(call: Transport) {
  return {
    /** Ask for approval to use `capability` on `path` (an open request of yours for it is reused). */
    request: async (input: ApprovalRequestInput) =>
      call<ApprovalView>({ method: 'POST', path: '/v1/approvals', body: input }),
    /** Requests you made or may approve, newest first. */
    list: async (status?: ApprovalStatus) =>
      call<{ requests: ApprovalView[] }>({
        method: 'GET',
        path: '/v1/approvals',
        query: { status },
        fresh: true,
      }),
    show: async (requestId: string) =>
      call<ApprovalView>({ method: 'GET', path: `/v1/approvals/${id(requestId)}`, fresh: true }),
    /** Approve someone else's request (needs `approve` on its path). */
    grant: async (requestId: string, comment?: string) =>
      call<ApprovalView>({
        method: 'POST',
        path: `/v1/approvals/${id(requestId)}/grant`,
        body: comment ? { comment } : {},
      }),
    deny: async (requestId: string, comment?: string) =>
      call<ApprovalView>({
        method: 'POST',
        path: `/v1/approvals/${id(requestId)}/deny`,
        body: comment ? { comment } : {},
      }),
    /**
     * Pass deploy gate `name`: spends one approved request for `read` on `gates/<name>` when a rule requires it.
     * `artefacts` (what this deployment ships, in order) is what an approval pinned with {@link gateRequestDigest}
     * must match.
     */
    passGate: async (name: string, artefacts?: readonly GateArtefact[]) =>
      call<{ gate: string; passed: true }>({
        method: 'POST',
        path: `/v1/gates/${id(name)}/pass`,
        body: artefacts ? { artefacts } : {},
      }),
  };
}

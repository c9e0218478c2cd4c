import type { AlertInput } from '../alerts/index.js';
import { callerToken } from '../identity/index.js';
import type { PolicyService } from '../identity/policy-service.js';
import type { ServerAuth } from '../ports/auth-port.js';
import { openSealedView, type ViewBackend, type ViewBarrier } from '../store/sealed-view/index.js';
import { approverCheck, withApprovals } from './approval-auth.js';
import { APPROVALS_VIEW } from './approval-records.js';
import { type ApprovalService, createApprovalService } from './approval-service.js';

/** The approval engine and the auth port that enforces it. */
export interface Approvals {
  readonly service: ApprovalService;
  /** `auth` with approvals enforced after every allowed check. */
  readonly auth: ServerAuth;
}

/**
 * Compose approvals over the store and the identity module's auth and policies; each new request raises an
 * `approval-requested` alert so approvers hear of it.
 */
export function createApprovals(deps: {
  readonly readBackend: ViewBackend;
  readonly barrier: ViewBarrier;
  readonly auth: ServerAuth;
  readonly policies: Pick<PolicyService, 'compile' | 'peekCompile'>;
  readonly clock?: () => Date;
  readonly raise?: (alert: AlertInput) => unknown;
}): Approvals {
  const service = createApprovalService({
    records: openSealedView(deps.readBackend, deps.barrier, APPROVALS_VIEW),
    clock: deps.clock ?? (() => new Date()),
    policies: {
      peek: (caller) => {
        const token = callerToken(caller);
        return token ? deps.policies.peekCompile(token.policies) : [];
      },
      load: async (caller) => {
        const token = callerToken(caller);
        return token ? deps.policies.compile(token.policies) : [];
      },
    },
    canApprove: approverCheck(deps.auth),
    onRequested: (r) =>
      deps.raise?.({
        rule: 'approval-requested',
        severity: 'info',
        message: `${r.requester} asks for ${r.required} approval(s) of "${r.capability}" on "${r.path}" (request ${r.id})`,
        identity: r.requester,
        path: r.path,
        key: r.id,
      }),
  });
  return { service, auth: withApprovals(deps.auth, service) };
}

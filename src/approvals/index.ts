export { approverCheck, withApprovals } from './approval-auth.js';
export { APPROVALS_KEYRING } from './approval-records.js';
export type { ApprovalRequestInput, ApprovalService, ApprovalView } from './approval-service.js';
export { createApprovalService } from './approval-service.js';
export { type Approvals, createApprovals } from './create-approvals.js';

/** Dynamic credentials: database engines' leases (issue, renew, revoke, expiry) over encrypted records. */

export {
  createDynamicCredentials,
  type DynamicCreds,
  type DynamicCredsDeps,
  tokenRevocations,
} from './create-dynamic-credentials.js';
export type { IssuedLease, LeaseOwner } from './issue-lease.js';
export { type LeaseExpiryJobDeps, leaseExpiryJob } from './lease-expiry-job.js';
export type { LeaseRecord, LeaseView } from './lease-records.js';
export type { ExpiryPass, LeaseService, RevokeSummary } from './lease-service.js';
export type { BackoffOptions } from './revoke-lease.js';

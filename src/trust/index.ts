export { createTrust, TRUST_KEYRING } from './create-trust.js';
export { recheckSigners, type SignerFinding, signerAlert, trustRecheckJob } from './trust-recheck-job.js';
export * from './trust-store-service.js';

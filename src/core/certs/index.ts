/** Certificates, pure: PEM/DER reading, facts, chains, checks, the CA/B Forum lifetime caps, key matching. */
export * from './ca-constraints.js';
export * from './cert-checks.js';
export * from './cert-facts.js';
export * from './cert-record.js';
export * from './certs-config.js';
export * from './chain.js';
export * from './der.js';
export * from './k8s-tls-secret.js';
export * from './key-match.js';
export * from './lifetime-cap.js';
export * from './pem.js';
export * from './read-certs.js';

/** Hush's own certificate authority: a sealed root and intermediate, roles, issuing, CSR signing, revocation, CRL. */
export * from './create-pki.js';
export * from './pki-ca.js';
export * from './pki-issue.js';
export * from './pki-records.js';
export * from './pki-revoke.js';
export * from './pki-roles.js';

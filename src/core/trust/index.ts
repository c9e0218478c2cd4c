export * from './check-signer.js';
export * from './crl.js';

/** Secret generators (CSPRNG only): passwords, encoded random bytes, API keys, UUIDs, PEM and OpenSSH key pairs. */
export * from './api-key.js';
export * from './generate-secret.js';
export * from './key-pair.js';
export * from './openssh.js';
export * from './password.js';
export * from './random-encoded.js';

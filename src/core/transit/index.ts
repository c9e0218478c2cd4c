export * from './cipher.js';
export * from './ciphertext.js';
export * from './key-material.js';
export * from './key-types.js';
export * from './public-key.js';
export * from './signature.js';
export * from './transit-keyring.js';
export * from './transit-ops.js';

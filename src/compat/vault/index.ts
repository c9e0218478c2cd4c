/** The Vault-compatible API's translation (no HTTP): KV v2 and token shapes, transit strings, Vault's errors. */
export * from './kv-shapes.js';
export * from './token-shapes.js';
export * from './transit-items.js';
export * from './transit-strings.js';
export * from './vault-errors.js';
export * from './vault-reply.js';

export * from './base62.js';
export * from './constant-time.js';
export * from './crc32.js';
export * from './token-format.js';
export * from './token-ids.js';
export * from './token-lifecycle.js';

export * from './audit-record.js';
export * from './canonical-json.js';
export * from './hash-chain.js';
export * from './hmac-field.js';
export * from './redact.js';
export * from './search-audit.js';
export * from './verify-chain.js';

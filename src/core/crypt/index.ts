export * from './crypt-audit-record.js';
export * from './crypt-document.js';
export * from './crypt-format.js';
export * from './crypt-formats.js';
export * from './crypt-metadata.js';
export * from './crypt-rules.js';
export * from './crypt-value.js';
export * from './recipient-changes.js';

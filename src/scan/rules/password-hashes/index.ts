export * from './password-hash-rules.js';

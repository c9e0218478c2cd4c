export * from './code-password-rules.js';

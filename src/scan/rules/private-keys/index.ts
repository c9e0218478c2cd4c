export * from './private-keys-rules.js';

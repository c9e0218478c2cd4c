export * from './jwt-rules.js';

export * from './payments-rules.js';

export * from './source-rules.js';

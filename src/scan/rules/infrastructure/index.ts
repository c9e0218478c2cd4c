export * from './infrastructure-rules.js';

export * from './cloud-rules.js';

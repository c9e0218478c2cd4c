export * from './registries-rules.js';

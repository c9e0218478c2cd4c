export * from './messaging-rules.js';

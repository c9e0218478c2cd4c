export * from './connection-rules.js';

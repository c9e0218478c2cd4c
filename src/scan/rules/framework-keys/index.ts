export * from './framework-key-rules.js';

export * from './hush-token.js';

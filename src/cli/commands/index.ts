export * from './command-list.js';

export * from './credential-files-rules.js';

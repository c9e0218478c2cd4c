export * from './error-catalogue.js';
export * from './hush-error.js';

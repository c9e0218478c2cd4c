export * from './catalogued-error.js';
export * from './error-catalogue.js';
export * from './hush-error.js';
export * from './message-catalogue.js';
export * from './message-template.js';

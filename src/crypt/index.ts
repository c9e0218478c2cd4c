export * from './age-keys.js';
export * from './crypt-config.js';
export * from './crypt-files.js';
export * from './data-keys.js';
export * from './store-values.js';

export * from './capabilities.js';
export * from './compile-policy.js';
export * from './evaluate.js';
export * from './list-filter.js';
export * from './path-glob.js';
export * from './policy-schema.js';
export * from './subtree-grant.js';
export * from './who-can.js';

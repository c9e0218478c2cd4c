export * from './approval-request.js';
export * from './request-digest.js';

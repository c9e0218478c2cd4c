export * from './approval-request.js';

export * from './login-limiter.js';

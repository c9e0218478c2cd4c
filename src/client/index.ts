/**
 * `@hush-secrets/hush/client`: a typed HTTP client for a Hush server.
 *
 * - Keep-alive: Node's global `fetch` (undici) reuses connections through its default global dispatcher, so
 *   consecutive calls share one socket; pass your own `fetch` to change that.
 * - Retries: idempotent calls (GET/PUT/DELETE) are retried on 503 (sealed, storage or audit briefly unavailable)
 *   and network errors, with exponential backoff and jitter. POST/PATCH calls are never retried.
 * - Cache: optional, in memory, for GET replies, with a TTL; any write through the same client clears it.
 *
 * @example
 * import { createHushClient, isHushError } from '@hush-secrets/hush/client';
 * const hush = createHushClient({ address: process.env.HUSH_ADDR!, token: process.env.HUSH_TOKEN });
 * try {
 *   const { value } = await hush.get('payments/prod/db-password');
 * } catch (err) {
 *   if (isHushError(err, 'HUSH_E_NOT_FOUND')) console.error('no such secret');
 *   else throw err;
 * }
 */

export { type ErrorCode, HushError, isHushError } from '../core/errors/index.js';
export type * from './api-types.js';
export { type GateArtefact, gateRequestDigest, transitRequestDigest } from './approvals-api.js';
export type {
  AppRoleView,
  AppRoleWrite,
  JwtRoleView,
  NewSecretId,
  SecretIdInfo,
} from './auth-roles-api.js';
export type * from './client-types.js';
export { createHushClient, type HushClient, type HushClientOptions } from './hush-client.js';
export type { CacheOptions } from './response-cache.js';
export type { RetryOptions } from './retry-policy.js';
export type { ClientTlsOptions } from './tls-fetch.js';

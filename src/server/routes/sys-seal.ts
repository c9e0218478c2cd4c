import type { FastifyPluginAsync } from 'fastify';
import { HushError, isHushError } from '../../core/errors/index.js';
import { createLoginLimiter, type LoginLimiterOptions } from '../../core/ratelimit/login-limiter.js';
import type { UnsealMaterial } from '../../seal/seal.js';
import type { InitRequest, SealControl } from '../server-deps.js';
import { initBodySchema, initReplySchema, sealStatusSchema, unsealBodySchema } from './sys-schemas.js';

/**
 * Seal lifecycle: init (once, unauthenticated, like Vault), unseal (unauthenticated: the material is the proof),
 * seal (needs `sudo` on `sys/seal`), seal-status. Responses carrying one-time material are never cached or logged.
 */
export function sysSealRoutes(store: SealControl, unsealLimits?: LoginLimiterOptions): FastifyPluginAsync {
  // Unseal is unauthenticated, so wrong material is rate-limited per source address like a failed login.
  const limiter = createLoginLimiter(unsealLimits);
  return async (app) => {
    app.get(
      '/v1/sys/seal-status',
      { schema: { summary: 'Seal state', tags: ['sys'], response: { 200: sealStatusSchema } } },
      async () => store.status(),
    );

    app.post<{ Body: InitRequest }>(
      '/v1/sys/init',
      {
        schema: {
          summary: 'Initialise the store; returns unseal material once',
          tags: ['sys'],
          body: initBodySchema,
          response: { 200: initReplySchema },
        },
      },
      async (request) => store.init(request.body),
    );

    app.post<{ Body: UnsealMaterial }>(
      '/v1/sys/unseal',
      {
        schema: {
          summary: 'Unseal with shares or a private key ({} for a key-file seal)',
          tags: ['sys'],
          body: unsealBodySchema,
          response: { 200: sealStatusSchema },
        },
      },
      async (request, reply) => {
        const key = `unseal\u0000${request.ip}`;
        const decision = limiter.check(key, Date.now());
        if (!decision.allowed) {
          const seconds = Math.ceil(decision.retryAfterMs / 1000);
          reply.header('retry-after', String(seconds));
          throw new HushError(
            'HUSH_E_RATE_LIMITED',
            `too many failed unseal attempts from this address; retry in ${seconds} s`,
            { retryAfterSeconds: seconds },
          );
        }
        try {
          const status = await store.unseal(request.body);
          limiter.recordSuccess(key);
          return status;
        } catch (err) {
          if (isHushError(err, 'HUSH_E_UNSEAL_FAILED') || isHushError(err, 'HUSH_E_INTEGRITY'))
            limiter.recordFailure(key, Date.now());
          throw err;
        }
      },
    );

    app.post(
      '/v1/sys/seal',
      {
        schema: {
          summary: 'Seal the store (drops the root key from memory)',
          tags: ['sys'],
          response: { 200: sealStatusSchema },
        },
        config: { requireUnsealed: true, auth: { authorize: { path: 'sys/seal', capability: 'sudo' } } },
      },
      async () => {
        await store.seal();
        return store.status();
      },
    );
  };
}

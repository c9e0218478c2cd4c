import type { FastifyPluginAsync } from 'fastify';
import type { UnsealMaterial } from '../../seal/seal.js';
import type { InitRequest, SealControl } from '../server-deps.js';
import { initBodySchema, initReplySchema, sealStatusSchema, unsealBodySchema } from './sys-schemas.js';

/**
 * Seal lifecycle: init (once, unauthenticated, like Vault), unseal (unauthenticated: the material is the proof),
 * seal (needs `sudo` on `sys/seal`), seal-status. Responses carrying one-time material are never cached or logged.
 */
export function sysSealRoutes(store: SealControl): FastifyPluginAsync {
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
      async (request) => store.unseal(request.body),
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

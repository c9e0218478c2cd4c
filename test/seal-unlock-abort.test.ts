import { request } from 'node:http';
import Fastify from 'fastify';
import { expect, it } from 'vitest';
import { installSealGuard } from '../src/server/plugins/seal-guard.js';
import { sysSealRoutes } from '../src/server/routes/sys/sys-seal.js';
import type { SealControl } from '../src/server/server-deps.js';

/**
 * `POST /v1/sys/incident/unlock` on a key-file/pkcs11 server opens the barrier to check the token. A caller that hangs
 * up while its (wrong) token is checked gets no onResponse hook from Fastify; the barrier must still be closed again,
 * or the keys stay in memory during the lockdown until the next successful unlock.
 */
it('closes the barrier again when an unlock caller disconnects during the token check', async () => {
  let opened = 0;
  let closed = 0;
  const store = {
    status: () => ({ initialized: true, sealed: true, kind: 'key-file' as const }),
    init: async () => ({ rootToken: '' }),
    unseal: async () => ({ initialized: true, sealed: true }),
    seal: async () => undefined,
    lockdown: {
      unlockProof: 'token' as const,
      async prepareUnlock() {
        opened++;
        return true;
      },
      async unlock(_material: unknown, prepared: boolean) {
        if (prepared) closed++;
        return { initialized: true, sealed: false };
      },
      async abandonUnlock(prepared: boolean) {
        if (prepared) closed++;
      },
    },
  } satisfies SealControl;
  const app = Fastify();
  installSealGuard(app, store);
  // Stands in for the auth guard: a slow check of a wrong token.
  app.addHook('preHandler', async () => {
    await new Promise((r) => setTimeout(r, 300));
    throw Object.assign(new Error('bad token'), { statusCode: 401 });
  });
  await app.register(sysSealRoutes(store));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { port } = app.server.address() as { port: number };
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/sys/incident/unlock' });
    req.on('error', () => undefined);
    req.end();
    await expect.poll(() => opened).toBe(1);
    req.destroy();
    await expect.poll(() => closed, { timeout: 5_000 }).toBe(1);
  } finally {
    await app.close();
  }
});

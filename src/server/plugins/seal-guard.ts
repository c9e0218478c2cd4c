import type { FastifyInstance } from 'fastify';
import { HushError } from '../../core/errors/index.js';
import type { SealControl } from '../server-deps.js';

/** The error a guarded route answers with while the store cannot serve it, or undefined when it can. */
export async function sealedError(store: Pick<SealControl, 'status'>): Promise<HushError | undefined> {
  const status = await store.status();
  if (!status.initialized) {
    return new HushError(
      'HUSH_E_NOT_INITIALIZED',
      'the store has not been initialised; run `hush operator init` (POST /v1/sys/init) first',
    );
  }
  if (status.sealed) {
    return new HushError(
      'HUSH_E_SEALED',
      'the store is sealed; unseal it with `hush operator unseal` (POST /v1/sys/unseal), then retry',
    );
  }
  return undefined;
}

/**
 * Routes with `config.requireUnsealed` answer 503 while sealed. Checked in onRequest, before the body is read, so a
 * sealed server spends nothing on requests it cannot serve.
 */
export function installSealGuard(app: FastifyInstance, store: Pick<SealControl, 'status'>): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.requireUnsealed !== true) return;
    const err = await sealedError(store);
    if (err) throw err;
  });
}

import type { FastifyInstance } from 'fastify';
import { type HushError, hushError } from '../../core/errors/index.js';
import { routeOf } from '../route-config.js';
import type { SealControl, SealStatus } from '../server-deps.js';

/** The error a guarded route answers with while the store cannot serve it, or undefined when it can. */
export async function sealedError(store: Pick<SealControl, 'status'>): Promise<HushError | undefined> {
  return statusError(await store.status());
}

function statusError(status: SealStatus): HushError | undefined {
  if (!status.initialized) {
    return hushError('STORE_NOT_INITIALISED');
  }
  if (status.sealed) {
    return hushError('STORE_SEALED');
  }
  return undefined;
}

/**
 * Routes with `config.requireUnsealed` answer 503 while sealed; a route's `config.beforeAuth` runs here instead. Checked in onRequest, before the body is read, so a
 * sealed server spends nothing on requests it cannot serve.
 */
export function installSealGuard(app: FastifyInstance, store: Pick<SealControl, 'status'>): void {
  // A callback hook: the server's status() answers from memory, so the common case involves no promise at all.
  app.addHook('onRequest', (request, reply, done) => {
    const config = routeOf(request).config;
    if (config.beforeAuth) return config.beforeAuth(request, reply);
    if (config.requireUnsealed !== true) return done();
    const status = store.status();
    if (!(status instanceof Promise)) return done(statusError(status));
    // Waiting: hand Fastify the promise (not `done` inside a then), so an error while replying is still caught.
    return status.then((s) => {
      const err = statusError(s);
      if (err) throw err;
    });
  });
}

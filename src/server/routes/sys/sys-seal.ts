import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { hushError, isHushError } from '../../../core/errors/index.js';
import { createLoginLimiter, type LoginLimiterOptions } from '../../../core/ratelimit/login-limiter.js';
import type { UnsealMaterial } from '../../../seal/seal.js';
import { routeAuth } from '../../route-config.js';
import type { InitRequest, LockdownControl, SealControl, UnsealRequest } from '../../server-deps.js';
import {
  initBodySchema,
  initReplySchema,
  rootTokenReplySchema,
  sealStatusSchema,
  unsealBodySchema,
} from './sys-schemas.js';

/**
 * Seal lifecycle: init (once, unauthenticated, like Vault), unseal (unauthenticated: the material is the proof),
 * seal (needs `sudo` on `sys/seal`), seal-status. Responses carrying one-time material are never cached or logged.
 */
export function sysSealRoutes(store: SealControl, unsealLimits?: LoginLimiterOptions): FastifyPluginAsync {
  // Unseal is unauthenticated, so wrong material is rate-limited per source address like a failed login.
  const limiter = createLoginLimiter(unsealLimits);
  const checkLimit = (key: string, reply: FastifyReply): void => {
    const decision = limiter.check(key, Date.now());
    if (decision.allowed) return;
    const seconds = Math.ceil(decision.retryAfterMs / 1000);
    reply.header('retry-after', String(seconds));
    throw hushError('TOO_MANY_FAILED_UNSEAL_ATTEMPTS', { seconds }, { retryAfterSeconds: seconds });
  };

  /**
   * `POST /v1/sys/incident/unlock`: the one way to lift an operator's seal or lockdown. With a key-file or pkcs11 seal
   * it needs a token with `sudo` (policies: `admin`) on `sys/seal`: the barrier is opened just long enough to check
   * it (status stays sealed meanwhile) and closed again when the check fails. With shamir or rsa the body carries
   * the unseal material, which is the proof. Failures count against the same per-address budget as unseal.
   */
  function registerUnlock(app: FastifyInstance, lockdown: LockdownControl): void {
    const byToken = lockdown.unlockProof === 'token';
    const keyOf = (request: FastifyRequest) => `unseal\u0000${request.ip}`;
    // Requests whose barrier was opened for the token check (per request object, never a client-chosen key).
    const prepared = new WeakSet<FastifyRequest>();
    app.post<{ Body: UnsealMaterial | undefined }>(
      '/v1/sys/incident/unlock',
      {
        schema: {
          summary: byToken
            ? 'Lift an operator seal or lockdown (token with sudo on sys/seal)'
            : 'Lift an operator seal or lockdown with the unseal material',
          tags: ['incident'],
          ...(byToken ? {} : { body: unsealBodySchema }),
          response: { 200: sealStatusSchema },
        },
        config: {
          operation: 'incident.unlock',
          ...(byToken
            ? {
                auth: routeAuth.fixed('sys/seal', 'sudo'),
                beforeAuth: async (request: FastifyRequest, reply: FastifyReply) => {
                  checkLimit(keyOf(request), reply);
                  if (!(await lockdown.prepareUnlock())) return;
                  prepared.add(request);
                  // A client that hangs up during the token check gets no onResponse: close the barrier (and count
                  // the attempt) when the connection closes, or the keys would stay in memory until the next unlock.
                  const release = () => {
                    if (!prepared.delete(request)) return;
                    limiter.recordFailure(keyOf(request), Date.now());
                    void lockdown.abandonUnlock(true).catch(() => undefined);
                  };
                  reply.raw.once('close', release);
                  if (request.raw.socket?.destroyed) release();
                },
              }
            : { auth: routeAuth.public }),
        },
        onResponse: async (request, reply) => {
          if (reply.statusCode < 300) return;
          if ([400, 401, 403].includes(reply.statusCode)) limiter.recordFailure(keyOf(request), Date.now());
          await lockdown.abandonUnlock(prepared.delete(request));
        },
      },
      async (request, reply) => {
        request.auditPath = 'sys/seal';
        if (!byToken) checkLimit(keyOf(request), reply);
        const status = await lockdown.unlock(byToken ? {} : (request.body ?? {}), prepared.delete(request));
        limiter.recordSuccess(keyOf(request));
        return status;
      },
    );
  }

  return async (app) => {
    app.get(
      '/v1/sys/seal-status',
      {
        schema: { summary: 'Seal state', tags: ['sys'], response: { 200: sealStatusSchema } },
        config: { auth: routeAuth.public },
      },
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
        // No token exists before initialisation; refused once initialised.
        config: { auth: routeAuth.public },
      },
      async (request) => store.init(request.body),
    );

    app.post<{ Body: UnsealRequest }>(
      '/v1/sys/unseal',
      {
        schema: {
          summary:
            'Unseal: all shares, one share per call as `key` (progress kept), a private key, or {} (key file)',
          tags: ['sys'],
          body: unsealBodySchema,
          response: { 200: sealStatusSchema },
        },
        // The unseal material is the credential.
        config: { auth: routeAuth.public },
      },
      async (request, reply) => {
        const key = `unseal\u0000${request.ip}`;
        checkLimit(key, reply);
        try {
          const status = await store.unseal(request.body);
          // A share that only advances progress proves little yet: failures before it still count.
          if (!status.sealed) limiter.recordSuccess(key);
          return status;
        } catch (err) {
          if (isHushError(err, 'HUSH_E_UNSEAL_FAILED') || isHushError(err, 'HUSH_E_INTEGRITY'))
            limiter.recordFailure(key, Date.now());
          throw err;
        }
      },
    );

    const lockdown = store.lockdown;
    if (lockdown) registerUnlock(app, lockdown);
    const generateRoot = store.generateRoot?.bind(store);
    if (generateRoot) {
      app.post<{ Body: UnsealMaterial }>(
        '/v1/sys/generate-root',
        {
          schema: {
            summary: 'Mint a new root token with a quorum of shares or the rsa private key (lost root token)',
            tags: ['sys'],
            body: unsealBodySchema,
            response: { 200: rootTokenReplySchema },
          },
          // A quorum of shares or the RSA private key is the credential.
          config: { requireUnsealed: true, operation: 'sys.generate-root', auth: routeAuth.public },
        },
        async (request, reply) => {
          request.auditPath = 'sys/seal';
          const key = `unseal\u0000${request.ip}`;
          checkLimit(key, reply);
          try {
            const result = await generateRoot(request.body);
            limiter.recordSuccess(key);
            return result;
          } catch (err) {
            if (isHushError(err, 'HUSH_E_UNSEAL_FAILED')) limiter.recordFailure(key, Date.now());
            throw err;
          }
        },
      );
    }

    app.post(
      '/v1/sys/seal',
      {
        schema: {
          summary: 'Seal the store (drops the root key from memory)',
          tags: ['sys'],
          response: { 200: sealStatusSchema },
        },
        config: { requireUnsealed: true, auth: routeAuth.fixed('sys/seal', 'sudo') },
      },
      async () => {
        await store.seal();
        return store.status();
      },
    );
  };
}

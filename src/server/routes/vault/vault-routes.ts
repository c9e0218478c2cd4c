import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { unknownPathError, type VaultError, vaultErrorOf } from '../../../compat/vault/index.js';
import type { IdentityServices } from '../../../identity/index.js';
import type {} from '../../plugins/audit.js';
import { toHushError } from '../../plugins/errors.js';
import { strictJsonBody } from '../../plugins/json-body.js';
import type { SealControl } from '../../server-deps.js';
import type { SecretsRouteDeps } from '../secrets/secrets-deps.js';
import { optionalBody } from '../secrets/secrets-schemas.js';
import type { TransitRouteDeps } from '../transit/transit-routes.js';
import { vaultAuthRoutes } from './vault-auth.js';
import { vaultKvRoutes } from './vault-kv.js';
import { VAULT_PREFIX } from './vault-request.js';
import { vaultSysRoutes } from './vault-sys.js';
import { vaultTransitRoutes } from './vault-transit.js';

export { VAULT_PREFIX } from './vault-request.js';

/** What the Vault-compatible API is built from: the services of the native routes it translates into. */
export interface VaultRouteDeps {
  /** sys/health and sys/seal-status. */
  readonly store: Pick<SealControl, 'status'>;
  readonly version: string;
  /** `limits.bodyBytes` of the server config (named in the 413 message). */
  readonly bodyBytes: number;
  /** KV v2 (absent: KV paths answer as unknown paths). */
  readonly secrets?: SecretsRouteDeps;
  /** Token and login endpoints. */
  readonly identity?: IdentityServices;
  /** Transit (its per-key checks are the routes' declared auth). */
  readonly transit?: TransitRouteDeps;
}

/** Send a Vault error; the Hush code goes on the audit record, which cannot read it from Vault's body. */
function sendVaultError(
  reply: FastifyReply,
  request: FastifyRequest,
  code: string,
  err: VaultError,
): FastifyReply {
  request.auditErrorCode = code;
  return reply.code(err.status).send(err.body);
}

/**
 * The Vault-compatible API under `/vault` (so `VAULT_ADDR=http(s)://<server>/vault`): routes that translate Vault's
 * calls into the native routes' service calls, with the same seal guard, auth guard (`X-Vault-Token` or Bearer),
 * capability checks and audit records (audited under `/vault/v1/`, with the native operation names). Errors go out
 * in Vault's shape, `{"errors": [...]}`, and any other path answers as Vault answers an unknown one.
 */
export function vaultRoutes(deps: VaultRouteDeps): FastifyPluginAsync {
  const api: FastifyPluginAsync = async (app) => {
    app.setErrorHandler((err: unknown, request, reply) => {
      const hush = toHushError(err, { bodyBytes: deps.bodyBytes }, request.id);
      if (hush.code === 'HUSH_E_INTERNAL') request.log.error({ err }, 'unhandled error');
      return sendVaultError(reply, request, hush.code, vaultErrorOf(hush));
    });
    // KV v2 PATCH bodies (node-vault's `update`, `vault kv patch`) are JSON merge patches: the same strict parser.
    app.addContentTypeParser('application/merge-patch+json', { parseAs: 'buffer' }, strictJsonBody);
    // Vault takes a POST without a body as an empty one (hvac's revoke-self sends none).
    app.addHook('preValidation', optionalBody);
    app.setNotFoundHandler((request, reply) => {
      const path = (request.url.split('?')[0] ?? '').slice(`${VAULT_PREFIX}/v1/`.length);
      return sendVaultError(reply, request, 'HUSH_E_NOT_FOUND', unknownPathError(path));
    });
    await app.register(vaultSysRoutes(deps.store, deps.version));
    if (deps.secrets) await app.register(vaultKvRoutes(deps.secrets));
    if (deps.identity) await app.register(vaultAuthRoutes(deps.identity));
    if (deps.transit) await app.register(vaultTransitRoutes(deps.transit.transit));
  };
  return async (app) => {
    await app.register(api, { prefix: VAULT_PREFIX });
  };
}

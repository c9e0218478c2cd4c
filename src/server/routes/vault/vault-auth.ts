import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  vaultAuth,
  vaultAuthBlock,
  vaultCreatedAuth,
  vaultData,
  vaultTokenData,
} from '../../../compat/vault/index.js';
import type { IdentityServices } from '../../../identity/index.js';
import { viewToken } from '../../../identity/token-records.js';
import { routeAuth } from '../../route-config.js';
import { MAX_TOKEN_USES, metadataSchema, policyList } from '../auth/auth-schemas.js';
import { type CreateBody, createChildToken, renewCallerToken, revokeCallerToken } from '../auth/tokens.js';
import { requestToken, runLogin } from '../auth-helpers.js';
import {
  ANY_OBJECT,
  requestIdOf,
  VAULT_AUTHED,
  VAULT_DOC,
  VAULT_RESPONSE,
  vaultDuration,
} from './vault-request.js';

const SHORT_TEXT = { type: 'string', minLength: 1, maxLength: 512 } as const;
// A JWT is longer than an id, yet bounded: the body limit would stop a huge one anyway, this says so earlier.
const JWT_TEXT = { type: 'string', minLength: 1, maxLength: 16_384 } as const;
const approleLogin = {
  type: 'object',
  required: ['role_id', 'secret_id'],
  properties: { role_id: SHORT_TEXT, secret_id: SHORT_TEXT },
} as const;
const jwtLogin = {
  type: 'object',
  required: ['role', 'jwt'],
  properties: { role: SHORT_TEXT, jwt: JWT_TEXT },
} as const;
// The native route's limits on policy names, metadata and uses: the Vault route must not take more than it does.
const tokenCreate = {
  type: 'object',
  properties: {
    policies: policyList,
    meta: metadataSchema,
    renewable: { type: 'boolean' },
    display_name: { type: 'string', maxLength: 128 },
    num_uses: { type: 'integer', minimum: 0, maximum: MAX_TOKEN_USES },
  },
} as const;

/** Fields of Vault's token creation that Hush does not have: answered with a warning, as Vault warns. */
const IGNORED_CREATE_FIELDS = [
  'id',
  'role_name',
  'no_parent',
  'no_default_policy',
  'period',
  'type',
  'entity_alias',
];

interface VaultCreateBody {
  policies?: string[];
  meta?: Record<string, string>;
  renewable?: boolean;
  ttl?: unknown;
  explicit_max_ttl?: unknown;
  display_name?: string;
  num_uses?: number;
  [field: string]: unknown;
}

/** Vault's token creation body as the native one. */
function createBodyOf(b: VaultCreateBody): CreateBody {
  const ttl = vaultDuration(b.ttl, 'ttl');
  const maxTtl = vaultDuration(b.explicit_max_ttl, 'explicit_max_ttl');
  return {
    ...(b.policies ? { policies: b.policies } : {}),
    ...(ttl ? { ttl } : {}),
    ...(maxTtl ? { maxTtl } : {}),
    ...(b.num_uses ? { numUses: b.num_uses } : {}),
    ...(b.renewable === undefined ? {} : { renewable: b.renewable }),
    ...(b.display_name ? { displayName: b.display_name } : {}),
    ...(b.meta ? { metadata: b.meta } : {}),
  };
}

/**
 * Vault's token and login endpoints, translated into the native ones' service calls (same checks, same audit
 * operations): lookup-self, renew-self, revoke-self, create (a child of the caller's token), AppRole and JWT login.
 */
export function vaultAuthRoutes(services: IdentityServices): FastifyPluginAsync {
  const now = () => services.clock().getTime();
  return async (app) => {
    const lookupSelf = async (request: FastifyRequest) =>
      vaultData(requestIdOf(request), vaultTokenData(viewToken(requestToken(request), now())));
    const lookupOptions = {
      schema: {
        summary: 'Describe the calling token (Vault-compatible)',
        ...VAULT_DOC,
        response: VAULT_RESPONSE,
      },
      config: { ...VAULT_AUTHED, operation: 'auth.token.lookup-self' },
    };
    app.get('/v1/auth/token/lookup-self', lookupOptions, lookupSelf);

    app.post<{ Body: { increment?: unknown } | undefined }>(
      '/v1/auth/token/renew-self',
      {
        schema: {
          summary: 'Renew the calling token (Vault-compatible)',
          ...VAULT_DOC,
          body: ANY_OBJECT,
          response: VAULT_RESPONSE,
        },
        config: { ...VAULT_AUTHED, operation: 'auth.token.renew-self' },
      },
      async (request) => {
        const view = await renewCallerToken(
          services,
          request,
          vaultDuration(request.body?.increment, 'increment'),
        );
        const auth = vaultAuthBlock(view, null);
        return vaultAuth(requestIdOf(request), auth);
      },
    );

    app.post(
      '/v1/auth/token/revoke-self',
      {
        schema: {
          summary: 'Revoke the calling token and its children (Vault-compatible)',
          ...VAULT_DOC,
          body: ANY_OBJECT,
          response: VAULT_RESPONSE,
        },
        config: { ...VAULT_AUTHED, operation: 'auth.token.revoke-self' },
      },
      async (request, reply) => {
        await revokeCallerToken(services, request);
        return reply.code(204).send();
      },
    );

    app.post<{ Body: VaultCreateBody | undefined }>(
      '/v1/auth/token/create',
      {
        schema: {
          summary: 'Create a child token (Vault-compatible)',
          ...VAULT_DOC,
          body: tokenCreate,
          response: VAULT_RESPONSE,
        },
        config: { ...VAULT_AUTHED, operation: 'auth.token.create' },
      },
      async (request) => {
        const body = request.body ?? {};
        const created = await createChildToken(services, request, createBodyOf(body));
        // Clients send some of them by default as false or empty: only a field that asks for something is named.
        const ignored = IGNORED_CREATE_FIELDS.filter(
          (f) => ![undefined, null, false, ''].includes(body[f] as never),
        );
        const reply = vaultAuth(requestIdOf(request), vaultCreatedAuth(created));
        return ignored.length === 0
          ? reply
          : { ...reply, warnings: [`ignored by Hush: ${ignored.join(', ')}`] };
      },
    );

    app.post<{ Body: { role_id: string; secret_id: string } }>(
      '/v1/auth/approle/login',
      {
        schema: {
          summary: 'AppRole login (Vault-compatible)',
          ...VAULT_DOC,
          body: approleLogin,
          response: VAULT_RESPONSE,
        },
        config: { requireUnsealed: true, operation: 'auth.approle.login', auth: routeAuth.public },
      },
      async (request, reply) =>
        runLogin(services, request, reply, async () => {
          const created = await services.approle.login(
            request.body.role_id,
            request.body.secret_id,
            request.ip,
          );
          return vaultAuth(requestIdOf(request), vaultCreatedAuth(created));
        }),
    );

    app.post<{ Body: { role: string; jwt: string } }>(
      '/v1/auth/jwt/login',
      {
        schema: {
          summary: 'JWT login (Vault-compatible)',
          ...VAULT_DOC,
          body: jwtLogin,
          response: VAULT_RESPONSE,
        },
        config: { requireUnsealed: true, operation: 'auth.jwt.login', auth: routeAuth.public },
      },
      async (request, reply) => {
        // The role name (not secret) lets alert rules count failed logins per role, as on the native route.
        request.auditDetails = { role: request.body.role.slice(0, 128) };
        return runLogin(services, request, reply, async () => {
          const created = await services.jwt.login(request.body.role, request.body.jwt, request.ip);
          return vaultAuth(requestIdOf(request), vaultCreatedAuth(created));
        });
      },
    );
  };
}

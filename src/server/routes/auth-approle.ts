import type { FastifyPluginAsync } from 'fastify';
import { parseDuration } from '../../identity/duration.js';
import type { AppRole, IdentityServices } from '../../identity/index.js';
import { AUTHED, authorizeDynamic, runLogin, seconds } from './auth-helpers.js';
import {
  appRoleBody,
  appRoleLoginBody,
  appRoleSchema,
  createdTokenSchema,
  nameParams,
} from './auth-schemas.js';

interface RoleBody {
  policies: string[];
  secretIdTtl?: string;
  secretIdNumUses?: number;
  tokenTtl?: string;
  tokenMaxTtl?: string;
  tokenNumUses?: number;
  cidrs?: string[];
}

const tags = ['auth'];
const ms = (d: string | undefined, field: string) => (d ? parseDuration(d, field) : 0);

function showRole(r: AppRole) {
  return {
    name: r.name,
    policies: r.policies,
    secretIdTtlSeconds: seconds(r.secretIdTtlMs),
    secretIdNumUses: r.secretIdNumUses,
    tokenTtlSeconds: seconds(r.tokenTtlMs),
    tokenMaxTtlSeconds: seconds(r.tokenMaxTtlMs),
    tokenNumUses: r.tokenNumUses,
    cidrs: r.cidrs,
  };
}

/**
 * AppRole endpoints. Role management needs `admin` on `auth/approle/role/<name>`; reading the role id `read` on
 * `.../role-id`; issuing secret ids `update` on `.../secret-id`. Login needs no token and is rate-limited.
 */
export function appRoleRoutes(services: IdentityServices): FastifyPluginAsync {
  const { approle } = services;
  return async (app) => {
    app.post<{ Params: { name: string }; Body: RoleBody }>(
      '/v1/auth/approle/role/:name',
      {
        schema: {
          summary: 'Create or update an AppRole role',
          tags,
          params: nameParams,
          body: appRoleBody,
          response: { 200: appRoleSchema },
        },
        config: AUTHED,
      },
      async (request) => {
        const { name } = request.params;
        await authorizeDynamic(services, request, `auth/approle/role/${name}`, 'admin');
        const b = request.body;
        const role = await approle.writeRole(name, {
          policies: b.policies,
          secretIdTtlMs: ms(b.secretIdTtl, 'secretIdTtl'),
          secretIdNumUses: b.secretIdNumUses ?? 0,
          tokenTtlMs: ms(b.tokenTtl, 'tokenTtl'),
          tokenMaxTtlMs: ms(b.tokenMaxTtl, 'tokenMaxTtl'),
          tokenNumUses: b.tokenNumUses ?? 0,
          cidrs: b.cidrs ?? [],
        });
        return showRole(role);
      },
    );

    app.get<{ Params: { name: string } }>(
      '/v1/auth/approle/role/:name',
      {
        schema: {
          summary: "Read an AppRole role's configuration (not its role id or secret ids)",
          tags,
          params: nameParams,
          response: { 200: appRoleSchema },
        },
        config: AUTHED,
      },
      async (request) => {
        const { name } = request.params;
        await authorizeDynamic(services, request, `auth/approle/role/${name}`, 'read');
        return showRole(await approle.readRole(name));
      },
    );

    app.get<{ Params: { name: string } }>(
      '/v1/auth/approle/role/:name/role-id',
      {
        schema: {
          summary: "Read a role's role id",
          tags,
          params: nameParams,
          response: {
            200: { type: 'object', additionalProperties: false, properties: { roleId: { type: 'string' } } },
          },
        },
        config: AUTHED,
      },
      async (request) => {
        const { name } = request.params;
        await authorizeDynamic(services, request, `auth/approle/role/${name}/role-id`, 'read');
        return { roleId: (await approle.readRole(name)).roleId };
      },
    );

    app.post<{ Params: { name: string } }>(
      '/v1/auth/approle/role/:name/secret-id',
      {
        schema: {
          summary: 'Issue a secret id (shown once)',
          tags,
          params: nameParams,
          response: {
            200: {
              type: 'object',
              additionalProperties: false,
              properties: {
                secretId: { type: 'string' },
                expiresAt: { type: ['string', 'null'] },
                usesRemaining: { type: ['integer', 'null'] },
              },
            },
          },
        },
        config: AUTHED,
      },
      async (request) => {
        const { name } = request.params;
        await authorizeDynamic(services, request, `auth/approle/role/${name}/secret-id`, 'update');
        return approle.generateSecretId(name);
      },
    );

    app.post<{ Body: { roleId: string; secretId: string } }>(
      '/v1/auth/approle/login',
      {
        schema: {
          summary: 'Log in with a role id and secret id',
          tags,
          body: appRoleLoginBody,
          response: { 200: createdTokenSchema },
        },
        config: { requireUnsealed: true },
      },
      async (request, reply) =>
        runLogin(services, request, reply, async () => {
          const created = await approle.login(request.body.roleId, request.body.secretId, request.ip);
          return { token: created.token, auth: created.view };
        }),
    );
  };
}

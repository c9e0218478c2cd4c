import type { FastifyPluginAsync } from 'fastify';
import { DEFAULT_SECRET_ID_TTL_MS } from '../../../identity/approle-secret-ids.js';
import { parseDuration } from '../../../identity/duration.js';
import type { AppRole, IdentityServices } from '../../../identity/index.js';
import { routeAuth } from '../../route-config.js';
import { derived, type NameRequest, roleListAndDeleteRoutes, runLogin, seconds } from '../auth-helpers.js';
import {
  appRoleBody,
  appRoleLoginBody,
  appRoleSchema,
  createdTokenSchema,
  nameParams,
  secretIdAccessorBody,
  secretIdListSchema,
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
        config: derived('admin', (r: NameRequest) => `auth/approle/role/${r.params.name}`),
      },
      async (request) => {
        const { name } = request.params;
        const b = request.body;
        const role = await approle.writeRole(name, {
          policies: b.policies,
          // Omitted: the default, stored as such so that reading the role back shows what applies.
          secretIdTtlMs: b.secretIdTtl ? ms(b.secretIdTtl, 'secretIdTtl') : DEFAULT_SECRET_ID_TTL_MS,
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
        config: derived('read', (r: NameRequest) => `auth/approle/role/${r.params.name}`),
      },
      async (request) => {
        const { name } = request.params;
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
        config: derived('read', (r: NameRequest) => `auth/approle/role/${r.params.name}/role-id`),
      },
      async (request) => {
        const { name } = request.params;
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
                accessor: { type: 'string' },
                expiresAt: { type: ['string', 'null'] },
                usesRemaining: { type: ['integer', 'null'] },
              },
            },
          },
        },
        config: derived('update', (r: NameRequest) => `auth/approle/role/${r.params.name}/secret-id`),
      },
      async (request) => {
        const { name } = request.params;
        return approle.generateSecretId(name);
      },
    );

    roleListAndDeleteRoutes(app, {
      method: 'approle',
      listSummary: 'List AppRole role names',
      deleteSummary: 'Delete an AppRole role, its role id and every secret id it issued',
      listRoles: () => approle.listRoles(),
      deleteRole: (name) => approle.deleteRole(name),
    });

    app.get<{ Params: { name: string } }>(
      '/v1/auth/approle/role/:name/secret-id',
      {
        schema: {
          summary: "List a role's live secret ids by accessor (never the secret ids)",
          tags,
          params: nameParams,
          response: { 200: secretIdListSchema },
        },
        config: derived('list', (r: NameRequest) => `auth/approle/role/${r.params.name}/secret-id`),
      },
      async (request) => {
        const { name } = request.params;
        return { secretIds: await approle.listSecretIds(name) };
      },
    );

    for (const action of ['revoke', 'destroy'] as const) {
      app.post<{ Params: { name: string }; Body: { accessor: string } }>(
        `/v1/auth/approle/role/:name/secret-id-accessor/${action}`,
        {
          schema: {
            summary:
              action === 'revoke'
                ? 'Revoke a secret id by accessor (later logins with it are refused as revoked)'
                : 'Destroy a secret id by accessor (its row is deleted)',
            tags,
            params: nameParams,
            body: secretIdAccessorBody,
            response: { 204: { type: 'null' } },
          },
          config: derived(
            'update',
            (r: NameRequest) => `auth/approle/role/${r.params.name}/secret-id-accessor/${action}`,
          ),
        },
        async (request, reply) => {
          const { name } = request.params;
          request.auditDetails = { accessor: request.body.accessor };
          if (action === 'revoke') await approle.revokeSecretId(name, request.body.accessor);
          else await approle.destroySecretId(name, request.body.accessor);
          return reply.code(204).send();
        },
      );
    }

    app.post<{ Body: { roleId: string; secretId: string } }>(
      '/v1/auth/approle/login',
      {
        schema: {
          summary: 'Log in with a role id and secret id',
          tags,
          body: appRoleLoginBody,
          response: { 200: createdTokenSchema },
        },
        // A login: its material is the credential.
        config: { requireUnsealed: true, auth: routeAuth.public },
      },
      async (request, reply) =>
        runLogin(services, request, reply, async () => {
          const created = await approle.login(request.body.roleId, request.body.secretId, request.ip);
          return { token: created.token, auth: created.view };
        }),
    );
  };
}

import type { FastifyPluginAsync } from 'fastify';
import type { JSONWebKeySet } from 'jose';
import { parseDuration } from '../../../identity/duration.js';
import { type IdentityServices, type JwtRole, keySourceOf } from '../../../identity/index.js';
import { routeAuth } from '../../route-config.js';
import { derived, type NameRequest, roleListAndDeleteRoutes, runLogin, seconds } from '../auth-helpers.js';
import { createdTokenSchema, jwtLoginBody, jwtRoleBody, nameParams } from './auth-schemas.js';

interface JwtRoleBody {
  jwks?: JSONWebKeySet;
  publicKeys?: string[];
  jwksUrl?: string;
  oidcDiscoveryUrl?: string;
  boundIssuer: string;
  boundAudiences: string[];
  boundClaims?: Record<string, string | string[]>;
  userClaim?: string;
  policies: string[];
  tokenTtl?: string;
  tokenMaxTtl?: string;
  clockSkewSeconds?: number;
}

const tags = ['auth'];

const jwtRoleReply = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    boundIssuer: { type: 'string' },
    boundAudiences: { type: 'array', items: { type: 'string' } },
    boundClaims: { type: 'object', additionalProperties: true },
    userClaim: { type: 'string' },
    policies: { type: 'array', items: { type: 'string' } },
    tokenTtlSeconds: { type: 'integer' },
    tokenMaxTtlSeconds: { type: 'integer' },
    clockSkewSeconds: { type: 'integer' },
    keys: {
      type: 'string',
      enum: ['jwks', 'publicKeys', 'jwksUrl', 'oidcDiscoveryUrl'],
      description: 'where the keys come from (inline key material is not returned; URLs are)',
    },
    jwksUrl: { type: 'string' },
    oidcDiscoveryUrl: { type: 'string' },
  },
} as const;

function showJwtRole(r: JwtRole) {
  return {
    name: r.name,
    boundIssuer: r.boundIssuer,
    boundAudiences: r.boundAudiences,
    boundClaims: r.boundClaims,
    userClaim: r.userClaim,
    policies: r.policies,
    tokenTtlSeconds: seconds(r.tokenTtlMs),
    tokenMaxTtlSeconds: seconds(r.tokenMaxTtlMs),
    clockSkewSeconds: r.clockSkewSeconds,
    keys: keySourceOf(r),
    ...(r.jwksUrl !== undefined ? { jwksUrl: r.jwksUrl } : {}),
    ...(r.oidcDiscoveryUrl !== undefined ? { oidcDiscoveryUrl: r.oidcDiscoveryUrl } : {}),
  };
}

/** JWT login endpoints: role management needs `admin` on `auth/jwt/role/<name>`; login is public and rate-limited. */
export function jwtRoutes(services: IdentityServices): FastifyPluginAsync {
  const { jwt } = services;
  return async (app) => {
    app.post<{ Params: { name: string }; Body: JwtRoleBody }>(
      '/v1/auth/jwt/role/:name',
      {
        schema: {
          summary: 'Create or update a JWT role',
          tags,
          params: nameParams,
          body: jwtRoleBody,
          response: { 200: jwtRoleReply },
        },
        config: derived('admin', (r: NameRequest) => `auth/jwt/role/${r.params.name}`),
      },
      async (request) => {
        const { name } = request.params;
        const b = request.body;
        const r = await jwt.writeRole(name, {
          ...(b.jwks ? { jwks: b.jwks } : {}),
          ...(b.publicKeys ? { publicKeys: b.publicKeys } : {}),
          ...(b.jwksUrl !== undefined ? { jwksUrl: b.jwksUrl } : {}),
          ...(b.oidcDiscoveryUrl !== undefined ? { oidcDiscoveryUrl: b.oidcDiscoveryUrl } : {}),
          boundIssuer: b.boundIssuer,
          boundAudiences: b.boundAudiences,
          boundClaims: b.boundClaims ?? {},
          userClaim: b.userClaim ?? 'sub',
          policies: b.policies,
          tokenTtlMs: b.tokenTtl ? parseDuration(b.tokenTtl, 'tokenTtl') : 0,
          tokenMaxTtlMs: b.tokenMaxTtl ? parseDuration(b.tokenMaxTtl, 'tokenMaxTtl') : 0,
          clockSkewSeconds: b.clockSkewSeconds ?? 60,
        });
        return showJwtRole(r);
      },
    );

    app.get<{ Params: { name: string } }>(
      '/v1/auth/jwt/role/:name',
      {
        schema: {
          summary: "Read a JWT role's configuration (key material is summarised, not returned)",
          tags,
          params: nameParams,
          response: { 200: jwtRoleReply },
        },
        config: derived('read', (r: NameRequest) => `auth/jwt/role/${r.params.name}`),
      },
      async (request) => {
        const { name } = request.params;
        return showJwtRole(await jwt.readRole(name));
      },
    );

    roleListAndDeleteRoutes(app, {
      method: 'jwt',
      listSummary: 'List JWT role names',
      deleteSummary: 'Delete a JWT role (later logins with it fail)',
      listRoles: () => jwt.listRoles(),
      deleteRole: (name) => jwt.deleteRole(name),
    });

    app.post<{ Body: { role: string; jwt: string } }>(
      '/v1/auth/jwt/login',
      {
        schema: {
          summary: 'Log in with a signed JWT',
          tags,
          body: jwtLoginBody,
          response: { 200: createdTokenSchema },
        },
        // A login: its material is the credential.
        config: { requireUnsealed: true, auth: routeAuth.public },
      },
      async (request, reply) => {
        // The role name (not secret) lets alert rules count failed logins per role.
        request.auditDetails = { role: request.body.role.slice(0, 128) };
        return runLogin(services, request, reply, async () => {
          const created = await jwt.login(request.body.role, request.body.jwt, request.ip);
          return { token: created.token, auth: created.view };
        });
      },
    );
  };
}

import type { FastifyInstance } from 'fastify';
import type { TransitKeyConfig } from '../../../core/transit/index.js';
import { type CreateKeyInput, keyPolicyPath, type Transit } from '../../../transit/index.js';
import { AUTHED } from '../auth-helpers.js';
import type { TransitCheck } from './transit-op-routes.js';
import { configKeyBody, createKeyBody, keyParams, trimKeyBody } from './transit-schemas.js';

/** Register the key management routes under `/v1/transit/keys`. */
export function registerTransitKeyRoutes(app: FastifyInstance, transit: Transit, check: TransitCheck): void {
  const tags = ['transit'];
  const params = keyParams;
  type P = { Params: { name: string } };

  app.get(
    '/v1/transit/keys',
    {
      schema: { summary: 'List transit key names', tags },
      config: { ...AUTHED, operation: 'transit.keys.list' },
    },
    async (request) => {
      request.auditPath = 'transit/keys';
      await check(request, '', 'list');
      return { keys: await transit.keys.list() };
    },
  );

  app.post<P & { Body: CreateKeyInput }>(
    '/v1/transit/keys/:name',
    {
      schema: { summary: 'Create a transit key', tags, params, body: createKeyBody },
      config: { ...AUTHED, operation: 'transit.keys.create' },
    },
    async (request, reply) => {
      const { name } = request.params;
      request.auditPath = keyPolicyPath(name);
      await check(request, name, 'create');
      reply.code(201);
      return transit.keys.create(name, request.body);
    },
  );

  app.get<P>(
    '/v1/transit/keys/:name',
    {
      schema: { summary: 'A transit key: rules, versions, public keys (PEM, JWK)', tags, params },
      config: { ...AUTHED, operation: 'transit.keys.read' },
    },
    async (request) => {
      request.auditPath = keyPolicyPath(request.params.name);
      await check(request, request.params.name, 'read');
      return transit.keys.get(request.params.name);
    },
  );

  app.post<P>(
    '/v1/transit/keys/:name/rotate',
    {
      schema: { summary: 'Add a new latest version to a transit key', tags, params },
      config: { ...AUTHED, operation: 'transit.keys.rotate' },
    },
    async (request) => {
      request.auditPath = keyPolicyPath(request.params.name);
      await check(request, request.params.name, 'rotate');
      return transit.keys.rotate(request.params.name);
    },
  );

  app.post<P & { Body: TransitKeyConfig }>(
    '/v1/transit/keys/:name/config',
    {
      schema: {
        summary: 'Set minimum versions, deletion and export flags',
        tags,
        params,
        body: configKeyBody,
      },
      config: { ...AUTHED, operation: 'transit.keys.config' },
    },
    async (request) => {
      request.auditPath = keyPolicyPath(request.params.name);
      request.auditDetails = { ...request.body };
      await check(request, request.params.name, 'update');
      return transit.keys.configure(request.params.name, request.body);
    },
  );

  app.post<P & { Body: { minAvailableVersion: number } }>(
    '/v1/transit/keys/:name/trim',
    {
      schema: {
        summary: 'Delete key versions below minAvailableVersion for good',
        tags,
        params,
        body: trimKeyBody,
      },
      config: { ...AUTHED, operation: 'transit.keys.trim' },
    },
    async (request) => {
      request.auditPath = keyPolicyPath(request.params.name);
      request.auditDetails = { minAvailableVersion: request.body.minAvailableVersion };
      await check(request, request.params.name, 'destroy');
      return transit.keys.trim(request.params.name, request.body.minAvailableVersion);
    },
  );

  app.get<P & { Querystring: { version?: string } }>(
    '/v1/transit/keys/:name/export',
    {
      schema: {
        summary: 'Export the material of an exportable key (needs sudo)',
        tags,
        params,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { version: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } },
        },
      },
      config: { ...AUTHED, operation: 'transit.keys.export' },
    },
    async (request) => {
      request.auditPath = keyPolicyPath(request.params.name);
      await check(request, request.params.name, 'sudo');
      const v = request.query.version;
      return {
        keys: await transit.keys.export(request.params.name, v === undefined ? undefined : Number(v)),
      };
    },
  );

  app.delete<P>(
    '/v1/transit/keys/:name',
    {
      schema: { summary: 'Delete a transit key whose deletionAllowed is set', tags, params },
      config: { ...AUTHED, operation: 'transit.keys.delete' },
    },
    async (request) => {
      request.auditPath = keyPolicyPath(request.params.name);
      await check(request, request.params.name, 'delete');
      await transit.keys.remove(request.params.name);
      return { name: request.params.name, deleted: true };
    },
  );

  // Public keys only, so services verify offline without a token (as an OIDC issuer's JWKS is public).
  app.get<P>(
    '/v1/transit/keys/:name/jwks.json',
    {
      schema: { summary: 'JWKS of a signing key (public, no token needed)', tags, params },
      config: { requireUnsealed: true, operation: 'transit.keys.jwks' },
    },
    async (request) => transit.keys.jwks(request.params.name),
  );
}

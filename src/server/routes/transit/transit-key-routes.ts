import type { FastifyInstance } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import type { TransitKeyConfig } from '../../../core/transit/index.js';
import type { CreateKeyInput, Transit } from '../../../transit/index.js';
import { routeAuth } from '../../route-config.js';
import { keyAuth } from './transit-auth.js';
import { configKeyBody, createKeyBody, keyParams, trimKeyBody } from './transit-schemas.js';

/** Register the key management routes under `/v1/transit/keys`. */
export function registerTransitKeyRoutes(app: FastifyInstance, transit: Transit): void {
  const tags = ['transit'];
  const params = keyParams;
  type P = { Params: { name: string } };

  app.get(
    '/v1/transit/keys',
    {
      schema: { summary: 'List transit key names', tags, response: undeclaredResponse },
      config: {
        requireUnsealed: true,
        operation: 'transit.keys.list',
        auth: routeAuth.fixed('transit/keys', 'list'),
      },
    },
    async (request) => {
      request.auditPath = 'transit/keys';
      return { keys: await transit.keys.list() };
    },
  );

  app.post<P & { Body: CreateKeyInput }>(
    '/v1/transit/keys/:name',
    {
      schema: {
        summary: 'Create a transit key',
        tags,
        params,
        body: createKeyBody,
        response: undeclaredResponse,
      },
      config: keyAuth('transit.keys.create', 'create'),
    },
    async (request, reply) => {
      const { name } = request.params;
      reply.code(201);
      return transit.keys.create(name, request.body);
    },
  );

  app.get<P>(
    '/v1/transit/keys/:name',
    {
      schema: {
        summary: 'A transit key: rules, versions, public keys (PEM, JWK)',
        tags,
        params,
        response: undeclaredResponse,
      },
      config: keyAuth('transit.keys.read', 'read'),
    },
    async (request) => {
      return transit.keys.get(request.params.name);
    },
  );

  app.post<P>(
    '/v1/transit/keys/:name/rotate',
    {
      schema: {
        summary: 'Add a new latest version to a transit key',
        tags,
        params,
        response: undeclaredResponse,
      },
      config: keyAuth('transit.keys.rotate', 'rotate'),
    },
    async (request) => {
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
        response: undeclaredResponse,
      },
      config: keyAuth('transit.keys.config', 'update', (r) => ({ ...(r.body as TransitKeyConfig) })),
    },
    async (request) => {
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
        response: undeclaredResponse,
      },
      config: keyAuth('transit.keys.trim', 'destroy', (r) => ({
        minAvailableVersion: (r.body as { minAvailableVersion: number }).minAvailableVersion,
      })),
    },
    async (request) => {
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
        response: undeclaredResponse,
      },
      config: keyAuth('transit.keys.export', 'sudo'),
    },
    async (request) => {
      const v = request.query.version;
      return {
        keys: await transit.keys.export(request.params.name, v === undefined ? undefined : Number(v)),
      };
    },
  );

  app.delete<P>(
    '/v1/transit/keys/:name',
    {
      schema: {
        summary: 'Delete a transit key whose deletionAllowed is set',
        tags,
        params,
        response: undeclaredResponse,
      },
      config: keyAuth('transit.keys.delete', 'delete'),
    },
    async (request) => {
      await transit.keys.remove(request.params.name);
      return { name: request.params.name, deleted: true };
    },
  );

  // Public keys only, so services verify offline without a token (as an OIDC issuer's JWKS is public).
  app.get<P>(
    '/v1/transit/keys/:name/jwks.json',
    {
      schema: {
        summary: 'JWKS of a signing key (public, no token needed)',
        tags,
        params,
        response: undeclaredResponse,
      },
      config: { requireUnsealed: true, operation: 'transit.keys.jwks', auth: routeAuth.public },
    },
    async (request) => transit.keys.jwks(request.params.name),
  );
}

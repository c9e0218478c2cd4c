import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type RouteTypes, routeSchema, undeclaredResponse } from '../../../api/contract.js';
import { type RotateRootReply, sysSealApi } from '../../../api/sys-seal.js';
import type { RequestedCapability } from '../../../core/policy/index.js';
import type {} from '../../plugins/audit.js';
import { authorizedPath, routeAuth } from '../../route-config.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { prefixFrom } from './secrets-request.js';
import { emptyBodySchema, optionalBody, rewrapBodySchema } from './secrets-schemas.js';

/** The `project/env` scope of /v1/keys/<project>/<env>/<action>, validated as a two-segment prefix. */
function scopeFrom(request: FastifyRequest, action: string): string {
  const scope = prefixFrom(request, '/v1/keys/').replace(new RegExp(`/${action}$`), '');
  request.auditPath = scope;
  return scope;
}

/** Route options of /v1/keys/<project>/<env>/<action>: `capability` on the scope, checked by the guard. */
function onScope(action: string, capability: RequestedCapability) {
  return {
    requireUnsealed: true,
    auth: routeAuth.derived(capability, (request) => scopeFrom(request, action)),
  } as const;
}

/** Body of POST /v1/keys/<project>/<env>/import: the wrapped key material, base64 (never on a URL). */
const importBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['wrappedKey'],
  properties: {
    wrappedKey: { type: 'string', minLength: 1, maxLength: 4096, pattern: '^[A-Za-z0-9+/]+={0,2}$' },
    tokenId: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

/** Body of POST /v1/keys/<project>/<env>/protector. */
const protectorBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['protector'],
  properties: { protector: { type: 'string', minLength: 1, maxLength: 80 } },
} as const;

/**
 * Key management: POST /v1/keys/<project>/<env>/rotate (new KEK version), POST /v1/keys/<project>/<env>/rewrap
 * {prune?} (both need `rotate` on `project/env`), POST /v1/sys/rotate-root (needs `admin` on `sys/rotate-root`;
 * returns the new one-time unseal material); key protection: GET /v1/keys/status (`read` on `sys/keys`), POST
 * /v1/keys/<project>/<env>/import-wrapping-key, .../import {wrappedKey (base64), tokenId?}, .../protector {protector}
 * (`rotate` on `project/env`), .../revoke-imported (`destroy` on `project/env`).
 */
export function keysRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post(
      '/v1/keys/:project/:env/rotate',
      {
        schema: {
          summary: 'Add a KEK version for project/env',
          tags: ['keys'],
          body: emptyBodySchema,
          response: undeclaredResponse,
        },
        config: { ...onScope('rotate', 'rotate'), operation: 'keys.rotate' },
        preValidation: optionalBody,
      },
      async (request) => {
        const scope = authorizedPath(request);
        return deps.store.rotateKek(scope);
      },
    );

    app.post<{ Body: { prune?: boolean } | undefined }>(
      '/v1/keys/:project/:env/rewrap',
      {
        schema: {
          summary: 'Rewrap every data key of project/env to the current KEK',
          tags: ['keys'],
          body: rewrapBodySchema,
          response: undeclaredResponse,
        },
        config: { ...onScope('rewrap', 'rotate'), operation: 'keys.rewrap' },
        preValidation: optionalBody,
      },
      async (request) => {
        const scope = authorizedPath(request);
        const prune = request.body?.prune;
        const result = await deps.store.rewrap(scope, prune !== undefined ? { prune } : {});
        request.auditDetails = { rewrapped: result.rewrapped, kekVersion: result.kekVersion };
        return result;
      },
    );

    app.get(
      '/v1/keys/status',
      {
        schema: {
          summary: 'Protector, KEK versions and rotation dates of every keyring',
          tags: ['keys'],
          response: undeclaredResponse,
        },
        config: {
          requireUnsealed: true,
          operation: 'keys.status',
          auth: routeAuth.fixed('sys/keys', 'read'),
        },
      },
      async (request) => {
        request.auditPath = 'sys/keys';
        return deps.store.keysStatus();
      },
    );

    app.post(
      '/v1/keys/:project/:env/import-wrapping-key',
      {
        schema: {
          summary: 'BYOK: the current RSA-3072 OAEP-SHA-256 import wrapping key for project/env',
          tags: ['keys'],
          body: emptyBodySchema,
          response: undeclaredResponse,
        },
        config: { ...onScope('import-wrapping-key', 'rotate'), operation: 'keys.import-wrapping-key' },
        preValidation: optionalBody,
      },
      async (request) => {
        const scope = authorizedPath(request);
        return deps.store.importWrappingKey({ scope });
      },
    );

    app.post<{ Body: { wrappedKey: string; tokenId?: string } }>(
      '/v1/keys/:project/:env/import',
      {
        schema: {
          summary: 'BYOK: import wrapped key material and protect project/env with it',
          tags: ['keys'],
          body: importBodySchema,
          response: undeclaredResponse,
        },
        config: { ...onScope('import', 'rotate'), operation: 'keys.import' },
      },
      async (request) => {
        const scope = authorizedPath(request);
        const { wrappedKey, tokenId } = request.body;
        const result = await deps.store.importKey(
          scope,
          Buffer.from(wrappedKey, 'base64'),
          tokenId ? { tokenId } : {},
        );
        request.auditDetails = { fingerprint: result.fingerprint, outcome: result.outcome };
        return result;
      },
    );

    app.post(
      '/v1/keys/:project/:env/revoke-imported',
      {
        schema: {
          summary: 'Crypto-shred the imported key of project/env (its secrets become unreadable)',
          tags: ['keys'],
          body: emptyBodySchema,
          response: undeclaredResponse,
        },
        config: { ...onScope('revoke-imported', 'destroy'), operation: 'keys.revoke-imported' },
        preValidation: optionalBody,
      },
      async (request) => {
        const scope = authorizedPath(request);
        const result = await deps.store.revokeImported(scope);
        request.auditDetails = { fingerprint: result.fingerprint };
        return result;
      },
    );

    app.post<{ Body: { protector: string } }>(
      '/v1/keys/:project/:env/protector',
      {
        schema: {
          summary: 'Re-seal the keyring of project/env under "root" or "hsm:<id>"',
          tags: ['keys'],
          body: protectorBodySchema,
          response: undeclaredResponse,
        },
        config: { ...onScope('protector', 'rotate'), operation: 'keys.protector' },
      },
      async (request) => {
        const scope = authorizedPath(request);
        const result = await deps.store.setKeyringProtector(scope, request.body.protector);
        request.auditDetails = { protector: result.protector, previous: result.previous };
        return result;
      },
    );

    app.post<RouteTypes<typeof sysSealApi.rotateRoot>>(
      sysSealApi.rotateRoot.path,
      {
        schema: routeSchema(sysSealApi.rotateRoot),
        preValidation: optionalBody,
        config: {
          requireUnsealed: true,
          operation: 'sys.rotate-root',
          auth: routeAuth.fixed('sys/rotate-root', 'admin'),
        },
      },
      async (request) => {
        request.auditPath = 'sys/rotate-root';
        const result = deps.rotateRoot ? await deps.rotateRoot(request.body) : await deps.store.rotateRoot();
        // What changed, never the material: the shares and the keys stay out of the audit trail.
        request.auditDetails = rotateRootFacts(result);
        return result;
      },
    );
  };
}

/** The audit facts of a root rotation: the seal kind and the shape of the new material, never the material. */
function rotateRootFacts(result: RotateRootReply): Record<string, string | number> {
  return {
    sealKind: result.sealKind,
    ...(result.oneTime?.shares ? { sharesIssued: result.oneTime.shares.length } : {}),
    ...(result.oneTime?.threshold !== undefined ? { threshold: result.oneTime.threshold } : {}),
    ...(result.fingerprint ? { fingerprint: result.fingerprint } : {}),
    ...(result.keyLabel ? { keyLabel: result.keyLabel } : {}),
  };
}

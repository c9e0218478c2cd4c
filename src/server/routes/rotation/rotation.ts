import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import { policyWriteGrants, type RotationPolicy, type RotationService } from '../../../rotation/index.js';
import type {} from '../../plugins/audit.js';
import { authorizedPath, checkerOf, routeAuth } from '../../route-config.js';
import { actorOf, addressFrom, onAddress, prefixFrom } from '../secrets/secrets-request.js';
import { optionalBody } from '../secrets/secrets-schemas.js';

/** Everything {@link rotationRoutes} is built from. */
export interface RotationRouteDeps {
  readonly rotation: RotationService;
}

/** Routes over many secrets: each is checked for `rotate` in turn (unseen when not held). */
const perSecret = { requireUnsealed: true, auth: routeAuth.perItem('rotate') } as const;
const prefixBody = {
  type: 'object',
  additionalProperties: false,
  properties: { prefix: { type: 'string', maxLength: 1024 } },
} as const;

/**
 * Rotation API: policies (`PUT /v1/rotation/policies`, `GET|DELETE /v1/rotation/policies/{path|prefix}/<target>`,
 * `GET /v1/rotation/policies`), `POST /v1/rotation/rotate/<address>` (now), `POST /v1/rotation/rotate-prefix/<prefix>`,
 * `POST /v1/rotation/on-deploy`, `POST /v1/rotation/flag/<address>`, `GET /v1/rotation/status`. Every path needs the
 * `rotate` capability on the secret (or the prefix, e.g. a `app/prod/**` rule); results carry no values.
 *
 * @example
 * routes: [audit, secretsRoutes(deps), rotationRoutes({ rotation })]
 */
export function rotationRoutes(deps: RotationRouteDeps): FastifyPluginAsync {
  const may = (request: FastifyRequest, path: string) => checkerOf(request).holds(path, 'rotate');
  const batchCtx = (request: FastifyRequest) => ({
    actor: actorOf(request),
    requestId: request.id,
    authorize: (path: string) => checkerOf(request).require(path, 'rotate'),
  });
  return async (app) => {
    app.put<{ Body: Record<string, unknown> }>(
      '/v1/rotation/policies',
      {
        schema: {
          summary: 'Create or replace a rotation policy',
          tags: ['rotation'],
          body: { type: 'object' },
          response: undeclaredResponse,
        },
        // What the write asks of its author depends on the policy: `rotate` on the target, `admin` for a command
        // hook, `read` on a connection secret (rotation's policyWriteGrants).
        config: {
          requireUnsealed: true,
          auth: routeAuth.perItem('rotate', 'admin', 'read'),
          operation: 'rotation.policy.write',
        },
      },
      async (request) => {
        const body = request.body;
        // What the write asks of its author is rotation's rule; the route checks each grant in order.
        const { target, grants } = policyWriteGrants(body);
        if (target !== undefined) request.auditPath = target;
        for (const grant of grants) await checkerOf(request).require(grant.path, grant.capability);
        return deps.rotation.setPolicy(body, actorOf(request));
      },
    );

    app.get(
      '/v1/rotation/policies',
      {
        schema: {
          summary: 'List the rotation policies the caller may rotate',
          tags: ['rotation'],
          response: undeclaredResponse,
        },
        config: { ...perSecret, operation: 'rotation.policy.list' },
      },
      async (request) => {
        const out: RotationPolicy[] = [];
        for (const p of await deps.rotation.listPolicies()) if (await may(request, p.target)) out.push(p);
        return { policies: out };
      },
    );

    for (const kind of ['path', 'prefix'] as const) {
      const prefix = `/v1/rotation/policies/${kind}/`;
      const target = (request: FastifyRequest) =>
        kind === 'path' ? addressFrom(request, prefix) : prefixFrom(request, prefix);
      const onTarget = { requireUnsealed: true, auth: routeAuth.derived('rotate', target) } as const;
      app.get(
        `${prefix}*`,
        {
          schema: {
            summary: `Read the rotation policy of a ${kind}`,
            tags: ['rotation'],
            response: undeclaredResponse,
          },
          config: { ...onTarget, operation: 'rotation.policy.read' },
        },
        async (request) => {
          const t = authorizedPath(request);
          return deps.rotation.getPolicy(kind, t);
        },
      );
      app.delete(
        `${prefix}*`,
        {
          schema: {
            summary: `Delete the rotation policy of a ${kind}`,
            tags: ['rotation'],
            response: undeclaredResponse,
          },
          config: { ...onTarget, operation: 'rotation.policy.delete' },
        },
        async (request) => {
          const t = authorizedPath(request);
          await deps.rotation.deletePolicy(kind, t);
          return { deleted: true, kind, target: t };
        },
      );
    }

    app.post(
      '/v1/rotation/rotate/*',
      {
        schema: {
          summary: 'Rotate one secret now (stage, hook, promote)',
          tags: ['rotation'],
          response: undeclaredResponse,
        },
        config: { ...onAddress('/v1/rotation/rotate/', 'rotate'), operation: 'rotation.rotate' },
      },
      async (request) => {
        const address = authorizedPath(request);
        const result = await deps.rotation.rotate(address, {
          actor: actorOf(request),
          requestId: request.id,
        });
        request.auditDetails = {
          result: result.outcome,
          ...(result.version ? { version: result.version } : {}),
        };
        return result;
      },
    );

    app.post(
      '/v1/rotation/rotate-prefix/*',
      {
        schema: {
          summary: 'Rotate every covered secret below a prefix now',
          tags: ['rotation'],
          response: undeclaredResponse,
        },
        config: { ...perSecret, operation: 'rotation.rotate-prefix' },
      },
      async (request) => {
        const prefix = prefixFrom(request, '/v1/rotation/rotate-prefix/');
        const report = await deps.rotation.rotatePrefix({ ...batchCtx(request), prefix });
        request.auditDetails = { rotated: report.rotated, failed: report.failed };
        return report;
      },
    );

    app.post<{ Body: { prefix?: string } | undefined }>(
      '/v1/rotation/on-deploy',
      {
        schema: {
          summary: 'Rotate due or flagged secrets whose policy has onDeploy',
          tags: ['rotation'],
          body: prefixBody,
          response: undeclaredResponse,
        },
        config: { ...perSecret, operation: 'rotation.on-deploy' },
        preValidation: optionalBody,
      },
      async (request) => {
        const prefix = request.body?.prefix;
        if (prefix !== undefined) request.auditPath = prefix;
        const report = await deps.rotation.onDeploy({ ...batchCtx(request), ...(prefix ? { prefix } : {}) });
        request.auditDetails = { rotated: report.rotated, failed: report.failed };
        return report;
      },
    );

    app.post(
      '/v1/rotation/flag/*',
      {
        schema: {
          summary: 'Mark a secret for rotation at the next on-deploy run',
          tags: ['rotation'],
          response: undeclaredResponse,
        },
        config: { ...onAddress('/v1/rotation/flag/', 'rotate'), operation: 'rotation.flag' },
      },
      async (request) => {
        const address = authorizedPath(request);
        return deps.rotation.flag(address);
      },
    );

    app.get<{ Querystring: { prefix?: string } }>(
      '/v1/rotation/status',
      {
        schema: {
          summary: 'Next due time, flag and last result of covered secrets',
          tags: ['rotation'],
          querystring: prefixBody,
          response: undeclaredResponse,
        },
        config: { ...perSecret, operation: 'rotation.status' },
      },
      async (request) => {
        const entries = await deps.rotation.status(request.query.prefix);
        const out = [];
        for (const e of entries) if (await may(request, e.path)) out.push(e);
        return { entries: out };
      },
    );
  };
}

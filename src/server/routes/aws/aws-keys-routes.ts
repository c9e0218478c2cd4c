import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AwsCompat } from '../../../compat/aws/index.js';
import { parseDuration } from '../../../identity/duration.js';
import { onAuditedPath, requestToken } from '../auth-helpers.js';

/** The policy path of AWS access keys (`sys/aws/keys`, one key: `sys/aws/keys/<id>`). */
export const AWS_KEYS_PATH = 'sys/aws/keys';

const keyView = {
  type: 'object',
  additionalProperties: false,
  properties: {
    accessKeyId: { type: 'string' },
    identity: { type: 'string' },
    policies: { type: 'array', items: { type: 'string' } },
    description: { type: 'string' },
    tokenAccessor: { type: 'string' },
    createdAt: { type: 'string' },
    createdBy: { type: 'string' },
    expiresAt: { type: ['string', 'null'] },
  },
} as const;

const createBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    policies: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 128 }, maxItems: 64 },
    ttl: { type: 'string', maxLength: 32 },
    description: { type: 'string', maxLength: 256 },
  },
} as const;

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

interface CreateBody {
  policies?: string[];
  ttl?: string;
  description?: string;
}

/**
 * `POST /v1/aws/keys` (create: `create` on sys/aws/keys, and the new key's policies a subset of the caller token's,
 * as for `hush token create`), `GET /v1/aws/keys` (`list`), `DELETE /v1/aws/keys/:id` (`delete` on the key).
 */
export function registerAwsKeyRoutes(app: FastifyInstance, deps: { readonly aws: AwsCompat }): void {
  const tags = ['aws'];
  app.post<{ Body: CreateBody }>(
    '/v1/aws/keys',
    {
      schema: {
        summary: 'Issue an AWS access key bound to a new token (the secret access key is shown once)',
        tags,
        body: createBody,
        response: {
          200: {
            ...keyView,
            properties: { ...keyView.properties, secretAccessKey: { type: 'string' } },
          },
        },
      },
      config: { ...onAuditedPath('create', () => AWS_KEYS_PATH), operation: 'aws.keys.create' },
    },
    async (request) => {
      const b = request.body ?? {};
      const created = await deps.aws.keys.create(
        requestToken(request),
        {
          ...(b.policies ? { policies: b.policies } : {}),
          ...(b.ttl ? { ttlMs: parseDuration(b.ttl, 'ttl') } : {}),
          ...(b.description !== undefined ? { description: b.description } : {}),
        },
        request.caller?.id ?? 'unknown',
      );
      request.auditDetails = { accessKeyId: created.accessKeyId, tokenAccessor: created.tokenAccessor };
      return created;
    },
  );
  app.get(
    '/v1/aws/keys',
    {
      schema: {
        summary: 'List AWS access keys (never their secrets)',
        tags,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            properties: { keys: { type: 'array', items: keyView } },
          },
        },
      },
      config: { ...onAuditedPath('list', () => AWS_KEYS_PATH), operation: 'aws.keys.list' },
    },
    async () => {
      return { keys: await deps.aws.keys.list() };
    },
  );
  app.delete<{ Params: { id: string } }>(
    '/v1/aws/keys/:id',
    {
      schema: {
        summary: 'Revoke an AWS access key and its bound token',
        tags,
        params: {
          type: 'object',
          additionalProperties: false,
          required: ['id'],
          properties: { id: { type: 'string', pattern: '^HKIA[A-Z2-7]{16}$' } },
        },
        response: { 200: keyView },
      },
      config: {
        ...onAuditedPath('delete', (r: IdRequest) => `${AWS_KEYS_PATH}/${r.params.id}`),
        operation: 'aws.keys.revoke',
      },
    },
    async (request) => {
      return deps.aws.keys.revoke(request.params.id);
    },
  );
}

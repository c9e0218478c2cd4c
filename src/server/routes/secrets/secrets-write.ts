import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { jsonSchemaOf } from '../../../api/contract.js';
import { putResult, secretInfo } from '../../../api/secrets.js';
import { hushError, isHushError } from '../../../core/errors/index.js';
import { assertSecretValue } from '../../../core/secrets/value-codec.js';
import type { PutOptions, PutResult, SecretValue, UpdateMetadataOptions } from '../../../store/index.js';
import type {} from '../../plugins/audit.js';
import { authorizedPath, checkerOf, routeAuth } from '../../route-config.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { actorOf, addressFrom, onAddress } from './secrets-request.js';
import { metadataBodySchema, writeBodySchema } from './secrets-schemas.js';

/** The capability a write needs depends on what is stored (update, or create-only): see writeSecretVersion. */
export const WRITE_AUTH = routeAuth.perItem('update', 'create', 'read');

/** The body of a secret write (also what the Vault-compatible KV v2 write is translated into). */
export interface WriteBody {
  value: SecretValue;
  cas?: number;
  stage?: boolean;
  description?: string;
  tags?: Record<string, string>;
  expiresAt?: string | null;
}

type MetadataBody = Omit<WriteBody, 'value' | 'stage'>;

/** Bytes the value takes when stored (a JSON object as compact JSON), checked before the store sees it. */
export function valueBytes(value: SecretValue): number {
  return Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}

/** Shape and nesting depth (before anything serialises it), then size: the value's bytes, or a coded 400/413. */
function checkedValueSize(value: SecretValue, maxValueBytes: number): number {
  assertSecretValue(value);
  const size = valueBytes(value);
  if (size > maxValueBytes) {
    throw hushError(
      'VALUE_TOO_LARGE',
      { size, maxValueBytes },
      { valueBytes: size, limitBytes: maxValueBytes },
    );
  }
  return size;
}

/**
 * Write a new version of `address` for the request's caller: the one write rule of the API, shared by
 * `PUT /v1/secrets/...` and the Vault-compatible KV v2 write. A caller holding `update` writes as asked; a caller
 * holding only `create` writes with `cas: 0`, so it can never overwrite an existing secret. The route declares
 * {@link WRITE_AUTH}: the capabilities are checked through its per-item checker.
 */
export async function writeSecretVersion(
  deps: SecretsRouteDeps,
  request: FastifyRequest,
  address: string,
  body: WriteBody,
): Promise<PutResult> {
  // Permission first: a caller without it learns nothing about limits (403, never 413/400 for a value).
  const access = checkerOf(request);
  const mayUpdate = await access.holds(address, 'update');
  if (!mayUpdate) {
    if (body.cas !== undefined && body.cas !== 0) {
      await access.require(address, 'update'); // throws: cas > 0 is an update
    }
    if (!(await access.holds(address, 'create'))) {
      // Name the capability this write needed: `update` for an existing secret, `create` for a new one. Existence
      // is consulted only for a caller that may read the secret, so the 403 tells nobody else it exists.
      const needed =
        // Looking is no use of an approval: only the write itself may spend one.
        (await access.mayUseFreely(address, 'read')) && (await secretExists(deps, address))
          ? 'update'
          : 'create';
      await access.require(address, needed); // throws
    }
  }
  const size = checkedValueSize(body.value, deps.limits.maxValueBytes);
  const options: PutOptions = {
    ...metadataOf(body),
    actor: actorOf(request),
    ...(body.stage === true ? { stage: true } : {}),
  };
  if (mayUpdate) {
    const result = await deps.store.put(address, body.value, {
      ...options,
      ...(body.cas !== undefined ? { cas: body.cas } : {}),
    });
    request.auditDetails = { version: result.version, sizeBytes: size };
    return result;
  }
  try {
    const result = await deps.store.put(address, body.value, { ...options, cas: 0 });
    request.auditDetails = { version: result.version, sizeBytes: size };
    return result;
  } catch (err) {
    if (!isHushError(err, 'HUSH_E_CAS_CONFLICT')) throw err;
    throw hushError('CREATE_ONLY_SECRET_EXISTS', { address });
  }
}

/**
 * PUT|POST /v1/secrets/<address>: write a new version. A caller holding `update` writes as asked; a caller holding
 * only `create` writes with `cas: 0`, so it can never overwrite an existing secret, even one created concurrently.
 * PATCH /v1/metadata/<address>: description, tags, expiry (no new version; needs `update`).
 */
export function secretsWriteRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  const write = async (request: FastifyRequest<{ Body: WriteBody }>) =>
    writeSecretVersion(deps, request, addressFrom(request, '/v1/secrets/'), request.body);
  return async (app) => {
    const options = {
      schema: {
        summary: 'Write a new version of a secret',
        tags: ['secrets'],
        body: writeBodySchema,
        response: { 200: jsonSchemaOf(putResult, 'output') },
      },
      config: { requireUnsealed: true, auth: WRITE_AUTH, operation: 'secrets.write' },
    };
    app.put<{ Body: WriteBody }>('/v1/secrets/*', options, write);
    app.post<{ Body: WriteBody }>('/v1/secrets/*', options, write);

    app.patch<{ Body: MetadataBody }>(
      '/v1/metadata/*',
      {
        schema: {
          summary: 'Change description, tags or expiry',
          tags: ['secrets'],
          body: metadataBodySchema,
          response: { 200: jsonSchemaOf(secretInfo, 'output') },
        },
        config: { ...onAddress('/v1/metadata/', 'update'), operation: 'secrets.metadata.update' },
      },
      async (request) => {
        const address = authorizedPath(request);
        const body = request.body;
        const options: UpdateMetadataOptions = {
          ...metadataOf(body),
          actor: actorOf(request),
          ...(body.cas !== undefined ? { cas: body.cas } : {}),
        };
        return deps.store.updateMetadata(address, options);
      },
    );
  };
}

/** Whether `address` holds a secret (any version); a missing one is HUSH_E_NOT_FOUND from the store. */
async function secretExists(deps: Pick<SecretsRouteDeps, 'store'>, address: string): Promise<boolean> {
  try {
    await deps.store.versions(address);
    return true;
  } catch (err) {
    if (isHushError(err, 'HUSH_E_NOT_FOUND')) return false;
    throw err;
  }
}

function metadataOf(body: MetadataBody): Omit<UpdateMetadataOptions, 'actor' | 'cas'> {
  return {
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.tags !== undefined ? { tags: body.tags } : {}),
    ...(body.expiresAt !== undefined ? { expiresAt: body.expiresAt } : {}),
  };
}

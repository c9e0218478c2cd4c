import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  hushValueOf,
  type KvData,
  kvDataOf,
  kvMetadataReply,
  kvReadReply,
  kvWriteReply,
  mergePatch,
  vaultData,
} from '../../../compat/vault/index.js';
import { hushError } from '../../../core/errors/index.js';
import type {} from '../../plugins/audit.js';
import { authorizedPath, checkerOf, routeAuth } from '../../route-config.js';
import type { SecretsRouteDeps } from '../secrets/secrets-deps.js';
import { listVisiblePage } from '../secrets/secrets-list.js';
import { actorOf, addressFrom, onAddress, prefixFrom } from '../secrets/secrets-request.js';
import { WRITE_AUTH, writeSecretVersion } from '../secrets/secrets-write.js';
import { requestIdOf, VAULT_DOC, VAULT_RESPONSE, vaultAuthed, vaultUrl } from './vault-request.js';

interface KvWriteBody {
  data?: KvData;
  options?: { cas?: number };
}
interface KvVersionsBody {
  versions?: number[];
}
interface KvMetadataBody {
  custom_metadata?: Record<string, string>;
  max_versions?: number;
  cas_required?: boolean;
  delete_version_after?: string;
}

const versionsBody = {
  type: 'object',
  required: ['versions'],
  properties: {
    versions: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'integer', minimum: 1 } },
  },
} as const;
const writeBody = {
  type: 'object',
  required: ['data'],
  properties: {
    data: { type: 'object' },
    options: { type: 'object', properties: { cas: { type: 'integer', minimum: 0 } } },
  },
} as const;
const metadataBody = {
  type: 'object',
  properties: {
    custom_metadata: {
      type: 'object',
      maxProperties: 64,
      additionalProperties: { type: 'string', maxLength: 512 },
    },
    max_versions: { type: 'integer', minimum: 0 },
    cas_required: { type: 'boolean' },
    delete_version_after: { type: 'string' },
  },
} as const;
const readQuery = {
  type: 'object',
  properties: { version: { type: 'string', pattern: '^[0-9]{1,9}$' }, list: { type: 'string' } },
} as const;

const DATA = vaultUrl('/v1/secret/data/');
const METADATA = vaultUrl('/v1/secret/metadata/');
// `?list=` values Vault reads as true (Go's ParseBool): hvac sends `true`, node-vault `1`.
const LIST_TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);

/**
 * KV v2 on the mount `secret/`, translated into the secrets routes' own calls (same capability checks, same audit
 * operations): `secret/data/<address>` reads (`read`) and writes (the native write rule), `secret/delete|undelete/`
 * soft-delete and restore (`delete`), `secret/destroy/` crypto-shreds (`destroy`), `secret/metadata/` reads the
 * version list (`read`), lists (`?list=true`, filtered like `GET /v1/list`), sets custom metadata (`update`), and
 * DELETE destroys every version (`destroy`).
 */
export function vaultKvRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { version?: string } }>(
      '/v1/secret/data/*',
      {
        schema: {
          summary: 'KV v2 read (Vault-compatible)',
          ...VAULT_DOC,
          querystring: readQuery,
          response: VAULT_RESPONSE,
        },
        config: { ...vaultAuthed(onAddress(DATA, 'read')), operation: 'secrets.read' },
      },
      async (request) => {
        const address = authorizedPath(request);
        const version = Number(request.query.version ?? '0');
        const read = await deps.store.get(address, version > 0 ? { version } : {});
        request.auditDetails = { version: read.version, api: 'vault' };
        return vaultData(requestIdOf(request), kvReadReply(read));
      },
    );

    const write = async (request: FastifyRequest<{ Body: KvWriteBody }>) => {
      const address = addressFrom(request, DATA);
      const cas = request.body.options?.cas;
      const put = await writeSecretVersion(deps, request, address, {
        value: hushValueOf(request.body.data),
        ...(cas !== undefined ? { cas } : {}),
      });
      request.auditDetails = { ...request.auditDetails, api: 'vault' };
      return vaultData(requestIdOf(request), kvWriteReply(put, {}));
    };
    const writeOptions = {
      schema: {
        summary: 'KV v2 write, with options.cas (Vault-compatible)',
        ...VAULT_DOC,
        body: writeBody,
        response: VAULT_RESPONSE,
      },
      config: { ...vaultAuthed({ auth: WRITE_AUTH }), operation: 'secrets.write' },
    };
    app.post<{ Body: KvWriteBody }>('/v1/secret/data/*', writeOptions, write);
    app.put<{ Body: KvWriteBody }>('/v1/secret/data/*', writeOptions, write);

    // PATCH (JSON merge patch onto the served version) is a read and a write: it needs both capabilities, and writes
    // with cas = the version it read (or the caller's own cas), so a write in between is a conflict, never lost.
    app.patch<{ Body: KvWriteBody }>(
      '/v1/secret/data/*',
      {
        schema: {
          summary: 'KV v2 patch (Vault-compatible)',
          ...VAULT_DOC,
          body: writeBody,
          response: VAULT_RESPONSE,
        },
        config: { ...vaultAuthed({ auth: WRITE_AUTH }), operation: 'secrets.write' },
      },
      async (request) => {
        const address = addressFrom(request, DATA);
        const access = checkerOf(request);
        await access.require(address, 'read');
        await access.require(address, 'update');
        const current = await deps.store.get(address);
        const merged = mergePatch(kvDataOf(current.value), hushValueOf(request.body.data) as KvData);
        const put = await writeSecretVersion(deps, request, address, {
          value: merged,
          cas: request.body.options?.cas ?? current.version,
        });
        request.auditDetails = { ...request.auditDetails, api: 'vault', patch: true };
        return vaultData(requestIdOf(request), kvWriteReply(put, {}));
      },
    );

    app.delete(
      '/v1/secret/data/*',
      {
        schema: {
          summary: 'KV v2 soft-delete of the latest version (Vault-compatible)',
          ...VAULT_DOC,
          response: VAULT_RESPONSE,
        },
        config: { ...vaultAuthed(onAddress(DATA, 'delete')), operation: 'secrets.delete' },
      },
      async (request, reply) => {
        const address = authorizedPath(request);
        const result = await deps.store.delete(address, { actor: actorOf(request) });
        request.auditDetails = { changed: result.changed, api: 'vault' };
        return reply.code(204).send();
      },
    );

    // Undoing a delete needs the same right as the delete; destroying is separate because it cannot be undone.
    const changes = [
      { word: 'delete', method: 'delete', capability: 'delete' },
      { word: 'undelete', method: 'undelete', capability: 'delete' },
      { word: 'destroy', method: 'destroy', capability: 'destroy' },
    ] as const;
    for (const change of changes) {
      const prefix = vaultUrl(`/v1/secret/${change.word}/`);
      const handler = async (request: FastifyRequest<{ Body: KvVersionsBody }>, reply: FastifyReply) => {
        const address = authorizedPath(request);
        const versions = request.body.versions ?? [];
        const result = await deps.store[change.method](address, { actor: actorOf(request), versions });
        request.auditDetails = { changed: result.changed, api: 'vault' };
        return reply.code(204).send();
      };
      const options = {
        schema: {
          summary: `KV v2 ${change.word} of versions (Vault-compatible)`,
          ...VAULT_DOC,
          body: versionsBody,
          response: VAULT_RESPONSE,
        },
        config: { ...vaultAuthed(onAddress(prefix, change.capability)), operation: `secrets.${change.word}` },
      };
      app.post<{ Body: KvVersionsBody }>(`/v1/secret/${change.word}/*`, options, handler);
      app.put<{ Body: KvVersionsBody }>(`/v1/secret/${change.word}/*`, options, handler);
    }

    app.get<{ Querystring: { list?: string } }>(
      '/v1/secret/metadata/*',
      {
        schema: {
          summary: 'KV v2 metadata, or ?list=true (Vault-compatible)',
          ...VAULT_DOC,
          querystring: readQuery,
          response: VAULT_RESPONSE,
        },
        // The listing filters itself by the caller's policies; a metadata read needs `read` on the address.
        config: { ...vaultAuthed({ auth: routeAuth.perItem('read') }), operation: 'secrets.metadata.read' },
      },
      async (request) => {
        if (LIST_TRUE.has(request.query.list ?? '')) {
          const keys = await listKeys(deps, request);
          request.auditDetails = { ...request.auditDetails, list: true, api: 'vault' };
          // Vault answers an empty listing as a missing path.
          if (keys.length === 0) throw hushError('NOTHING_VISIBLE_LIST_BELOW_PATH');
          return vaultData(requestIdOf(request), { keys });
        }
        const address = addressFrom(request, METADATA);
        await checkerOf(request).require(address, 'read');
        return vaultData(requestIdOf(request), kvMetadataReply(await deps.store.versions(address)));
      },
    );

    const writeMetadata = async (request: FastifyRequest<{ Body: KvMetadataBody }>, reply: FastifyReply) => {
      const address = authorizedPath(request);
      refuseUnsupportedSettings(request.body);
      const tagsOf = request.body.custom_metadata;
      if (tagsOf !== undefined) {
        await deps.store.updateMetadata(address, { actor: actorOf(request), tags: tagsOf });
      }
      request.auditDetails = { api: 'vault' };
      return reply.code(204).send();
    };
    const metadataOptions = {
      schema: {
        summary: 'KV v2 custom metadata (Vault-compatible)',
        ...VAULT_DOC,
        body: metadataBody,
        response: VAULT_RESPONSE,
      },
      config: { ...vaultAuthed(onAddress(METADATA, 'update')), operation: 'secrets.metadata.update' },
    };
    app.post<{ Body: KvMetadataBody }>('/v1/secret/metadata/*', metadataOptions, writeMetadata);
    app.put<{ Body: KvMetadataBody }>('/v1/secret/metadata/*', metadataOptions, writeMetadata);

    app.delete(
      '/v1/secret/metadata/*',
      {
        schema: {
          summary: 'KV v2 delete of metadata: destroys every version (Vault-compatible)',
          ...VAULT_DOC,
          response: VAULT_RESPONSE,
        },
        config: { ...vaultAuthed(onAddress(METADATA, 'destroy')), operation: 'secrets.destroy' },
      },
      async (request, reply) => {
        const address = authorizedPath(request);
        const info = await deps.store.versions(address);
        const versions = info.versions.filter((v) => v.state !== 'destroyed').map((v) => v.version);
        const result =
          versions.length > 0
            ? await deps.store.destroy(address, { actor: actorOf(request), versions })
            : { changed: [] };
        request.auditDetails = { changed: result.changed, api: 'vault' };
        return reply.code(204).send();
      },
    );
  };
}

/** Every name below the request's prefix the caller may see, page after page, folders as `name/` (Vault's keys). */
async function listKeys(deps: SecretsRouteDeps, request: FastifyRequest): Promise<string[]> {
  const prefix = prefixFrom(request, METADATA, true);
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listVisiblePage(deps, request, prefix, cursor !== undefined ? { cursor } : {});
    for (const entry of page.entries) keys.push(entry.name);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return keys;
}

/**
 * Version limits, automatic deletion and a per-secret cas requirement are Hush settings of the store, not of a
 * secret: a request asking for them is refused rather than silently ignored; the values clients send as defaults
 * (0, false, "0s") are accepted.
 */
function refuseUnsupportedSettings(body: KvMetadataBody): void {
  const asked: string[] = [];
  if (body.max_versions !== undefined && body.max_versions !== 0) asked.push('max_versions');
  if (body.cas_required === true) asked.push('cas_required');
  if (body.delete_version_after !== undefined && !['', '0', '0s'].includes(body.delete_version_after))
    asked.push('delete_version_after');
  if (asked.length > 0) {
    throw hushError('NOT_SUPPORTED_PER_SECRET_HUSH', { asked: asked.join(', ') });
  }
}

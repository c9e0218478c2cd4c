import { hushError } from '../../core/errors/index.js';
import type { JsonValue } from '../../core/secrets/value-codec.js';
import type { PutResult, SecretInfo, SecretRead, SecretValue } from '../../store/index.js';

/**
 * KV v2 <-> Hush secrets, without HTTP. The mapping is one to one below the mount: `secret/data/<project>/<env>/<path>`
 * is the Hush address `<project>/<env>/<path>` (so Hush's policies on that address apply), a KV version is a Hush
 * version, KV soft delete / undelete / destroy are Hush's, and `custom_metadata` is the secret's tags.
 */

/** A KV v2 `data` object: a JSON object (Vault refuses anything else, and so does this layer). */
export type KvData = { readonly [key: string]: JsonValue };

/** The field a Hush secret holding a plain string is shown under, since KV v2 data is always an object. */
export const STRING_VALUE_FIELD = 'value';

/** Vault's `custom_metadata`: null when there is none. */
function customMetadata(tags: Readonly<Record<string, string>>): Readonly<Record<string, string>> | null {
  return Object.keys(tags).length === 0 ? null : tags;
}

/** The Hush value to store for a KV v2 write's `data` (it must be a JSON object). */
export function hushValueOf(data: unknown): SecretValue {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw hushError('KV_V2_WRITE_NEEDS_DATA');
  }
  return data as KvData;
}

/** The KV v2 `data` of a Hush value: an object as is, a plain string under {@link STRING_VALUE_FIELD}. */
export function kvDataOf(value: SecretValue): KvData {
  return typeof value === 'string' ? { [STRING_VALUE_FIELD]: value } : value;
}

/**
 * JSON merge patch (RFC 7396), as Vault's KV v2 PATCH applies it: a `null` removes a key, an object merges into an
 * object, anything else replaces. Returns a new object; neither input is changed.
 *
 * @example
 * mergePatch({ a: 1, b: { c: 2 } }, { a: null, b: { d: 3 } }); // { b: { c: 2, d: 3 } }
 */
export function mergePatch(target: KvData, patch: KvData): KvData {
  const out: { [key: string]: JsonValue } = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const before = out[key];
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(before)) out[key] = mergePatch(before, value);
    else out[key] = value;
  }
  return out;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `data` of `GET secret/data/<path>`: the value and its version's metadata. */
export function kvReadReply(read: SecretRead) {
  return {
    data: kvDataOf(read.value),
    metadata: {
      created_time: read.createdAt,
      custom_metadata: customMetadata(read.tags),
      deletion_time: '',
      destroyed: false,
      version: read.version,
    },
  };
}

/** The `data` of a KV v2 write: the new version's metadata. */
export function kvWriteReply(put: PutResult, tags: Readonly<Record<string, string>>) {
  return {
    created_time: put.createdAt,
    custom_metadata: customMetadata(tags),
    deletion_time: '',
    destroyed: false,
    version: put.version,
  };
}

/** The `data` of `GET secret/metadata/<path>`: every kept version by number, as Vault lists them. */
export function kvMetadataReply(info: SecretInfo) {
  const versions: Record<string, { created_time: string; deletion_time: string; destroyed: boolean }> = {};
  for (const v of info.versions) {
    versions[String(v.version)] = {
      created_time: v.createdAt,
      deletion_time: v.state === 'active' ? '' : (v.deletedAt ?? v.destroyedAt ?? ''),
      destroyed: v.state === 'destroyed',
    };
  }
  return {
    cas_required: false,
    created_time: info.createdAt,
    current_version: info.current,
    custom_metadata: customMetadata(info.tags),
    delete_version_after: '0s',
    max_versions: 0,
    oldest_version: info.versions[0]?.version ?? 0,
    updated_time: info.updatedAt,
    versions,
  };
}

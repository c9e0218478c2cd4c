import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { wipe } from '../../core/crypto/random.js';
import type { StorageBackend } from '../../storage/backend.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import { parseScope } from '../scope.js';
import { sealFence } from '../seal/seal-fence.js';
import {
  decodeByokRecord,
  encodeByokRecord,
  type WrappingKeyRecord,
  wrappingKeyKey,
} from './byok-records.js';

/** How long an import token (wrapping key pair) is usable. */
export const IMPORT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
/** RSA modulus size of the import wrapping key. */
export const WRAPPING_KEY_BITS = 3072;

/** The public half of an import wrapping key, as shown to the user (nothing secret). */
export interface WrappingKeyInfo {
  /** Names this wrapping key pair; pass it to `importKey` to insist on it. */
  readonly tokenId: string;
  /** The project/environment it may import into, or null for any. */
  readonly scope: string | null;
  /** RSAES-OAEP with SHA-256 (and MGF1-SHA-256), like AWS KMS RSAES_OAEP_SHA_256. */
  readonly algorithm: 'RSAES_OAEP_SHA_256';
  readonly keySpec: 'RSA_3072';
  readonly publicKeyPem: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** Options of importWrappingKey. */
export interface WrappingKeyOptions {
  /** `project/environment` the key is for (default: any). */
  readonly scope?: string;
}

/** The non-secret view of a wrapping key record. */
export function wrappingKeyInfo(record: WrappingKeyRecord): WrappingKeyInfo {
  const { tokenId, scope, publicKeyPem, createdAt, expiresAt } = record;
  return {
    tokenId,
    scope,
    algorithm: 'RSAES_OAEP_SHA_256',
    keySpec: 'RSA_3072',
    publicKeyPem,
    createdAt,
    expiresAt,
  };
}

/** The stored wrapping key of a scope (or store-wide), with its revision; undefined when none. */
export async function readWrappingKey(
  backend: Pick<StorageBackend, 'get'>,
  scope: string | undefined,
): Promise<{ record: WrappingKeyRecord; revision: number } | undefined> {
  const key = wrappingKeyKey(scope);
  const entry = await backend.get(key);
  if (!entry) return undefined;
  const record = decodeByokRecord(key, entry.value);
  if (record.kind !== 'wrapping-key') return undefined;
  return { record, revision: entry.revision };
}

/**
 * Build `importWrappingKey`: the current RSA-3072 import wrapping key of a project/environment (or store-wide),
 * created when there is none or it expired. Its private key is sealed under the root key; it is used once.
 */
export function createImportWrappingKey(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'clock'>) {
  return async function importWrappingKey(options: WrappingKeyOptions = {}): Promise<WrappingKeyInfo> {
    const root = ctx.barrier.rootKey();
    const scope = options.scope === undefined ? undefined : parseScope(options.scope).text;
    return retryOnConflict(async () => {
      const now = ctx.clock();
      const existing = await readWrappingKey(ctx.backend, scope);
      if (existing && Date.parse(existing.record.expiresAt) > now.getTime())
        return wrappingKeyInfo(existing.record);
      const pair = await promisify(generateKeyPair)('rsa', { modulusLength: WRAPPING_KEY_BITS });
      const der = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
      try {
        const fields: Omit<WrappingKeyRecord, 'sealed'> = {
          kind: 'wrapping-key',
          tokenId: `imp_${randomBytes(12).toString('hex')}`,
          scope: scope ?? null,
          publicKeyPem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
          createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + IMPORT_TOKEN_TTL_MS).toISOString(),
        };
        await ctx.backend.batch([
          {
            op: 'put',
            key: wrappingKeyKey(scope),
            value: encodeByokRecord(root, fields, der),
            expectedRevision: existing?.revision ?? 0,
          },
          await sealFence(ctx.backend, root),
        ]);
        return wrappingKeyInfo({ ...fields, sealed: '' });
      } finally {
        wipe(der);
      }
    });
  };
}

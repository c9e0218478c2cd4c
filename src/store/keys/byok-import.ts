import { constants, createPrivateKey, privateDecrypt } from 'node:crypto';
import { aeadKeyWrapper, keyFingerprint } from '../../core/crypto/key-wrapper.js';
import { readKeyringHeader, sealKeyringWith } from '../../core/crypto/keyring-protected.js';
import { KEY_BYTES, wipe } from '../../core/crypto/random.js';
import { hushError } from '../../core/errors/index.js';
import type { BatchOp } from '../../storage/backend.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import { type KeyScope, parseScope } from '../scope.js';
import { sealFence } from '../seal/seal-fence.js';
import { keyringKey } from '../storage-keys.js';
import {
  decodeByokRecord,
  encodeByokRecord,
  type ImportedKeyRecord,
  importedKeyKey,
  openByokRecord,
  type WrappingKeyRecord,
  wrappingKeyKey,
} from './byok-records.js';
import { readWrappingKey } from './byok-wrapping-key.js';

/** Options of importKey. */
export interface ImportKeyOptions {
  /** The import token (wrapping key) the key was wrapped with; default: the scope's, else the store-wide one. */
  readonly tokenId?: string;
}

/** What importKey did (nothing secret). */
export interface ImportKeyResult {
  readonly scope: string;
  /** First 8 bytes of SHA-256 of the key material, hex. */
  readonly fingerprint: string;
  readonly protector: string;
  readonly importedAt: string;
  /** `protected`: the keyring was re-sealed under the key; `restored`: a revoked key was re-imported; `unchanged`. */
  readonly outcome: 'protected' | 'restored' | 'unchanged';
}

/**
 * Build `importKey` (BYOK): unwrap 32 bytes of customer key material wrapped with an import wrapping key
 * (RSAES-OAEP-SHA-256), store it sealed under the root key, and re-seal the project/environment keyring under it in
 * one atomic batch. Secrets are not re-encrypted: only the keyring row changes. The import token is used up.
 */
export function createImportKey(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'clock'>) {
  return async function importKey(
    scope: string,
    wrappedKey: Uint8Array,
    options: ImportKeyOptions = {},
  ): Promise<ImportKeyResult> {
    const s = parseScope(scope);
    const root = ctx.barrier.rootKey();
    const token = await findToken(s, options.tokenId);
    const key = unwrap(token, wrappedKey);
    try {
      const result = await retryOnConflict(() => protect(s, root, key, token));
      ctx.barrier.forget(s.project, s.environment);
      return result;
    } finally {
      wipe(key);
    }
  };

  async function findToken(s: KeyScope, tokenId: string | undefined): Promise<WrappingKeyRecord> {
    const candidates = [
      await readWrappingKey(ctx.backend, s.text),
      await readWrappingKey(ctx.backend, undefined),
    ];
    const found = candidates.find(
      (c) => c !== undefined && (tokenId === undefined || c.record.tokenId === tokenId),
    );
    if (!found) {
      throw hushError('IMPORT_WRAPPING_KEY_NOT_FOUND', {
        value: tokenId ? `import token ${tokenId}` : 'import wrapping key',
        text: s.text,
        project: s.project,
        environment: s.environment,
      });
    }
    const { record } = found;
    if (Date.parse(record.expiresAt) <= ctx.clock().getTime()) {
      throw hushError('IMPORT_TOKEN_EXPIRED_TOKENS_LAST', {
        tokenId: record.tokenId,
        expiresAt: record.expiresAt,
        project: s.project,
        environment: s.environment,
      });
    }
    return record;
  }

  function unwrap(token: WrappingKeyRecord, wrappedKey: Uint8Array): Buffer {
    const der = openByokRecord(ctx.barrier.rootKey(), token);
    let key: Buffer;
    try {
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      key = privateDecrypt(
        { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        wrappedKey,
      );
    } catch {
      throw hushError('COULD_NOT_UNWRAP_KEY_IMPORT', { tokenId: token.tokenId, length: wrappedKey.length });
    } finally {
      wipe(der);
    }
    if (key.length !== KEY_BYTES) {
      wipe(key);
      throw hushError('UNWRAPPED_KEY_MATERIAL_BYTES_EXPECTED', { length: key.length, keyBytes: KEY_BYTES });
    }
    return key;
  }

  async function protect(
    s: KeyScope,
    root: Buffer,
    key: Buffer,
    token: WrappingKeyRecord,
  ): Promise<ImportKeyResult> {
    const fingerprint = keyFingerprint(key);
    const protector = `imported:${fingerprint}`;
    const importedAt = ctx.clock().toISOString();
    const base = { scope: s.text, fingerprint, protector, importedAt };
    const recordKey = importedKeyKey(s.project, s.environment);
    const storedRecord = await ctx.backend.get(recordKey);
    const current = storedRecord
      ? (decodeByokRecord(recordKey, storedRecord.value) as ImportedKeyRecord)
      : undefined;
    const fields: Omit<ImportedKeyRecord, 'sealed'> = {
      kind: 'imported-key',
      scope: s.text,
      fingerprint,
      importedAt,
    };
    const ops: BatchOp[] = [
      { op: 'delete', key: wrappingKeyKey(token.scope ?? undefined) },
      await sealFence(ctx.backend, root),
    ];
    const ringRow = await ctx.backend.get(keyringKey(s.project, s.environment));
    // Re-import after revoke: the keyring still names this very key, so restoring the record is enough.
    if (ringRow && !current) {
      const header = readKeyringHeader(s.text, ringRow.value);
      if (header.protector.kind === 'imported' && header.protector.fingerprint === fingerprint) {
        ops.push(
          { op: 'put', key: recordKey, value: encodeByokRecord(root, fields, key), expectedRevision: 0 },
          { op: 'put', key: ringRow.key, value: ringRow.value, expectedRevision: ringRow.revision },
        );
        await ctx.backend.batch(ops);
        return { ...base, outcome: 'restored' };
      }
    }
    if (current?.fingerprint === fingerprint)
      return { ...base, importedAt: current.importedAt, outcome: 'unchanged' };
    // Opening under the current protector first: a keyring whose key was revoked cannot be moved to another key.
    const opened =
      (await ctx.barrier.freshKeyring(s.project, s.environment)) ??
      (await ctx.barrier
        .keyring(s.project, s.environment, true)
        .then(() => ctx.barrier.freshKeyring(s.project, s.environment)));
    if (!opened) throw hushError('KEYRING_TEXT_VANISHED', { text: s.text });
    try {
      const sealed = await sealKeyringWith(
        aeadKeyWrapper(protector, key, s.text),
        { kind: 'imported', fingerprint },
        opened.ring,
      );
      ops.push(
        {
          op: 'put',
          key: recordKey,
          value: encodeByokRecord(root, fields, key),
          expectedRevision: storedRecord?.revision ?? 0,
        },
        {
          op: 'put',
          key: keyringKey(s.project, s.environment),
          value: sealed,
          expectedRevision: opened.revision,
        },
      );
      await ctx.backend.batch(ops);
      return { ...base, outcome: 'protected' };
    } finally {
      for (const v of opened.ring.versions) wipe(v.key);
    }
  }
}

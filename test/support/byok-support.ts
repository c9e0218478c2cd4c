import { constants, createCipheriv, createDecipheriv, publicEncrypt, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { KeyWrapper } from '../../src/core/crypto/key-wrapper.js';
import { KeyFileSeal } from '../../src/seal/key-file/key-file-seal.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { openSqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { createStore, type StoreDeps } from '../../src/store/index.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

type Extra = Partial<Omit<StoreDeps, 'backend' | 'seal'>>;

/**
 * Test support for the key-protection tests: real SQLite stores in a temp dir (`open` = another process over the same
 * database file, `raw` = a plain connection for reading or altering rows as an attacker with storage access would).
 */
export function sqliteStores() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return async function setup(options: Extra = {}) {
    const dir = await makeTempDir('byok');
    cleanups.push(() => removeTempDir(dir));
    const db = join(dir, 'hush.db');
    const keyPath = join(dir, 'root.key');
    async function open(more: Partial<Omit<StoreDeps, 'backend'>> = {}) {
      const store = createStore({
        backend: await openSqliteBackend({ path: db }),
        seal: new KeyFileSeal({ path: keyPath }),
        ...options,
        ...more,
      });
      cleanups.push(() => store.close());
      return store;
    }
    const store = await open();
    await store.init();
    const raw: StorageBackend = await openSqliteBackend({ path: db });
    cleanups.push(() => raw.close());
    /** Every row, raw, for "nothing changed" assertions. */
    async function dump(): Promise<Map<string, string>> {
      const rows = new Map<string, string>();
      let after: string | undefined;
      do {
        const page = await raw.list('', after ? { after } : {});
        for (const k of page.keys) rows.set(k, Buffer.from((await raw.get(k))!.value).toString('base64'));
        after = page.next;
      } while (after);
      return rows;
    }
    /** Overwrite a row as storage would let anyone do. */
    async function tamper(key: string, change: (value: Buffer) => Buffer): Promise<void> {
      const row = (await raw.get(key))!;
      await raw.batch([
        { op: 'put', key, value: change(Buffer.from(row.value)), expectedRevision: row.revision },
      ]);
    }
    return { dir, db, keyPath, store, open, raw, dump, tamper };
  };
}

/** Wrap key material with an import public key exactly as `openssl pkeyutl` with OAEP-SHA-256 does. */
export function wrapForImport(publicKeyPem: string, key: Uint8Array): Buffer {
  return publicEncrypt(
    { key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    key,
  );
}

/**
 * A real external key wrapper implemented in the test: AES-256-GCM under a key the test holds (standing where a
 * PKCS#11 HSM key would; the store only sees wrap/unwrap).
 */
export function aesTestWrapper(id: string, key = randomBytes(32)): KeyWrapper & { calls: number } {
  const wrapper = {
    id,
    calls: 0,
    async wrap(plain: Uint8Array): Promise<Buffer> {
      wrapper.calls += 1;
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    async unwrap(blob: Uint8Array): Promise<Buffer> {
      wrapper.calls += 1;
      const b = Buffer.from(blob);
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]);
    },
  };
  return wrapper;
}

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../test/support/temp-dir.js';
import { KeyFileSeal } from '../seal/key-file/key-file-seal.js';
import type { StorageBackend } from '../storage/backend.js';
import { openSqliteBackend } from '../storage/sqlite/sqlite-backend.js';
import { createStore } from './index.js';

// The store's cached read path (read cache + synchronous fast path + data-key/AAD cache) over real SQLite, with a
// second connection standing for another process.
const actor = 'user:test';
const nextTurn = () => new Promise((r) => setImmediate(r));
type Store = ReturnType<typeof createStore>;

describe('cached read path over SQLite with another process', () => {
  let dir: string;
  let a: Store;
  let b: Store;
  let raw: StorageBackend;

  beforeEach(async () => {
    dir = await makeTempDir('read-path');
    const db = join(dir, 'hush.db');
    const keyPath = join(dir, 'root.key');
    a = createStore({
      backend: await openSqliteBackend({ path: db }),
      seal: new KeyFileSeal({ path: keyPath }),
    });
    await a.init();
    b = createStore({
      backend: await openSqliteBackend({ path: db }),
      seal: new KeyFileSeal({ path: keyPath }),
    });
    await b.unseal();
    raw = await openSqliteBackend({ path: db });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await raw.close();
    await removeTempDir(dir);
  });

  /** Read twice in one turn, so the second read is served by the fast path. */
  async function readHot(store: Store, path: string) {
    await store.get(path);
    return store.get(path);
  }

  it('sees another process write, delete and destroy on the next operation', async () => {
    await a.put('p/e/k', 'one', { actor, description: 'd1' });
    expect((await readHot(a, 'p/e/k')).value).toBe('one');
    await b.put('p/e/k', 'two', { actor, description: 'd2' });
    await nextTurn();
    const read = await readHot(a, 'p/e/k');
    expect(read).toMatchObject({ value: 'two', version: 2, description: 'd2' });
    expect((await a.get('p/e/k', { version: 1 })).value).toBe('one');
    await b.delete('p/e/k', { actor });
    await nextTurn();
    await expect(a.get('p/e/k')).rejects.toMatchObject({ code: 'HUSH_E_DELETED' });
    await b.destroy('p/e/k', { actor, versions: [1] });
    await nextTurn();
    await expect(a.get('p/e/k', { version: 1 })).rejects.toMatchObject({ code: 'HUSH_E_DESTROYED' });
  });

  it('sees its own writes immediately, in the same turn', async () => {
    await a.put('p/e/k', 'one', { actor });
    expect((await readHot(a, 'p/e/k')).value).toBe('one');
    await a.put('p/e/k', 'two', { actor });
    expect((await a.get('p/e/k')).value).toBe('two');
    await a.updateMetadata('p/e/k', { actor, tags: { team: 'x' } });
    expect((await a.get('p/e/k')).tags).toEqual({ team: 'x' });
  });

  it('verifies the value tag on every read: a tampered ciphertext fails even with its data key cached', async () => {
    await a.put('p/e/k', 'secret-value', { actor });
    expect((await readHot(a, 'p/e/k')).value).toBe('secret-value');
    const row = (await raw.get('data/p/e/k#1'))!.value;
    const flipped = Buffer.from(row);
    flipped[flipped.length - 1]! ^= 1; // last byte of the value ciphertext; the wrapped key is untouched
    await raw.put('data/p/e/k#1', flipped);
    await nextTurn();
    for (let i = 0; i < 2; i += 1) {
      await expect(a.get('p/e/k')).rejects.toMatchObject({
        code: 'HUSH_E_INTEGRITY',
        message: expect.stringContaining('value of p/e/k@v1 failed its integrity check'),
      });
    }
    await raw.put('data/p/e/k#1', row);
    await nextTurn();
    expect((await readHot(a, 'p/e/k')).value).toBe('secret-value');
  });

  it('names the row in integrity errors raised on the hot path', async () => {
    await a.put('p/e/k', 'v', { actor });
    await readHot(a, 'p/e/k');
    await raw.put('data/p/e/k#1', Buffer.from([1, 0]));
    await nextTurn();
    await a.get('p/e/k').catch(() => undefined); // the first read after the change caches the bad row
    await expect(a.get('p/e/k')).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
      message: expect.stringContaining('data of p/e/k@v1 is malformed (2 bytes'),
    });
    const row = (await raw.get('data/p/e/k#1'))!.value;
    expect(row.length).toBe(2);
  });

  it('does not reuse a cached data key or AAD when the row names another KEK version', async () => {
    await a.put('p/e/k', 'v', { actor });
    await a.rotateKek('p/e');
    expect((await readHot(a, 'p/e/k')).value).toBe('v');
    const row = (await raw.get('data/p/e/k#1'))!.value;
    const relabelled = Buffer.from(row);
    relabelled.writeUInt32BE(2, 1); // same wrapped key and ciphertext, header claims KEK version 2
    await raw.put('data/p/e/k#1', relabelled);
    await nextTurn();
    await expect(a.get('p/e/k')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
  });

  it('a data row copied onto another version fails even when both are cached', async () => {
    await a.put('p/e/k', 'first', { actor });
    await a.put('p/e/k', 'second', { actor });
    expect((await readHot(a, 'p/e/k')).value).toBe('second');
    expect((await a.get('p/e/k', { version: 1 })).value).toBe('first');
    await raw.put('data/p/e/k#2', (await raw.get('data/p/e/k#1'))!.value);
    await nextTurn();
    await expect(a.get('p/e/k')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
  });

  it('sealing drops the fast path: a hot read after seal is HUSH_E_SEALED', async () => {
    await a.put('p/e/k', 'v', { actor });
    await readHot(a, 'p/e/k');
    await a.seal({ persist: false });
    await expect(a.get('p/e/k')).rejects.toMatchObject({ code: 'HUSH_E_SEALED' });
    await a.unseal();
    expect((await readHot(a, 'p/e/k')).value).toBe('v');
  });

  it('a root rotation by another process seals this one on its next read', async () => {
    await a.put('p/e/k', 'v', { actor });
    await readHot(a, 'p/e/k');
    await b.rotateRoot({ seal: new KeyFileSeal({ path: join(dir, 'root-2.key') }) });
    await nextTurn();
    await expect(a.get('p/e/k')).rejects.toMatchObject({ code: 'HUSH_E_SEALED' });
    expect(a.isSealed()).toBe(true);
  });

  it('the fast path returns exactly what an uncached store returns', async () => {
    await a.put(
      'p/e/k',
      { user: 'app', password: 'pw' },
      {
        actor,
        description: 'db',
        tags: { t: '1' },
        expiresAt: '2030-01-01T00:00:00.000Z',
      },
    );
    await a.put('p/e/plain', 'text', { actor });
    const uncached = createStore({
      backend: await openSqliteBackend({ path: join(dir, 'hush.db') }),
      seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
      readCache: false,
    });
    await uncached.unseal();
    try {
      for (const path of ['p/e/k', 'p/e/plain']) {
        expect(await readHot(a, path)).toStrictEqual(await uncached.get(path));
      }
    } finally {
      await uncached.close();
    }
  });
});

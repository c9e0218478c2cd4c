import { afterEach, describe, expect, it } from 'vitest';
import { makeTestStore } from '../../test/support/test-store.js';
import { KeyFileSeal } from '../seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../storage/sqlite/sqlite-backend.js';
import { createStore } from './index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function fresh() {
  const t = await makeTestStore();
  cleanups.push(t.cleanup);
  return t;
}

describe('init / unseal / seal / status', () => {
  it('reports status through the lifecycle', async () => {
    const { store } = await fresh();
    expect(await store.status()).toEqual({
      initialized: false,
      sealed: true,
      lockedDown: false,
      backendKind: 'sqlite',
    });
    const result = await store.init();
    expect(result.sealKind).toBe('key-file');
    expect(result.warning).toContain('development');
    expect(await store.status()).toMatchObject({ initialized: true, sealed: false, sealKind: 'key-file' });
  });

  it('refuses a second init, even from another process', async () => {
    const t = await fresh();
    await t.store.init();
    await expect(t.store.init()).rejects.toMatchObject({ code: 'HUSH_E_ALREADY_INITIALIZED' });
    await expect((await t.reopen()).init()).rejects.toMatchObject({ code: 'HUSH_E_ALREADY_INITIALIZED' });
  });

  it('unseal before init -> HUSH_E_NOT_INITIALIZED', async () => {
    const { store } = await fresh();
    await expect(store.unseal()).rejects.toMatchObject({ code: 'HUSH_E_NOT_INITIALIZED' });
    await expect(store.seal()).rejects.toMatchObject({ code: 'HUSH_E_NOT_INITIALIZED' });
  });

  it('a sealed store refuses every secret operation with HUSH_E_SEALED', async () => {
    const t = await fresh();
    await t.store.init();
    await t.store.put('p/e/a', 'v', { actor: 't' });
    await t.store.seal();
    const ops: Promise<unknown>[] = [
      t.store.put('p/e/a', 'v', { actor: 't' }),
      t.store.get('p/e/a'),
      t.store.list('p/e'),
      t.store.versions('p/e/a'),
      t.store.delete('p/e/a', { actor: 't' }),
      t.store.undelete('p/e/a', { actor: 't' }),
      t.store.destroy('p/e/a', { actor: 't' }),
      t.store.rollback('p/e/a', { actor: 't', version: 1 }),
      t.store.updateMetadata('p/e/a', { actor: 't', description: 'x' }),
      t.store.move('p/e/a', 'p/e/b', { actor: 't' }),
      t.store.importSecrets('p/e', { format: 'dotenv', text: 'A=1', actor: 't' }),
      t.store.exportSecrets('p/e', { format: 'json' }),
      t.store.rotateKek('p/e'),
      t.store.rewrap('p/e'),
      t.store.rotateRoot(),
    ];
    for (const op of ops) {
      await expect(op).rejects.toMatchObject({
        code: 'HUSH_E_SEALED',
        message:
          'the store is sealed; unseal it with `hush unseal` (POST /v1/sys/unseal on a server), then retry',
      });
    }
    await t.store.unseal();
    expect((await t.store.get('p/e/a')).value).toBe('v');
  });

  it('`seal` locks the store down across processes until an explicit unseal', async () => {
    const t = await fresh();
    await t.store.init();
    await t.store.put('p/e/a', 'v', { actor: 't' });
    await t.store.seal();
    const other = await t.reopen();
    await expect(other.unseal({}, { respectLockdown: true })).rejects.toMatchObject({
      code: 'HUSH_E_SEALED',
    });
    expect(await other.status()).toMatchObject({ sealed: true, lockedDown: true });
    await other.unseal();
    expect(await other.status()).toMatchObject({ sealed: false, lockedDown: false });
    const third = await t.reopen();
    await third.unseal({}, { respectLockdown: true });
    expect((await third.get('p/e/a')).value).toBe('v');
    await third.seal({ persist: false });
    expect(await third.status()).toMatchObject({ sealed: true, lockedDown: false });
  });

  it('unseal fails with the wrong key file, a missing one, or a different seal kind', async () => {
    const t = await fresh();
    await t.store.init();
    const otherKey = `${t.dir}/other.key`;
    await new KeyFileSeal({ path: otherKey }).init(Buffer.alloc(32, 1));
    const wrong = createStore({ backend: t.backend, seal: new KeyFileSeal({ path: otherKey }) });
    await expect(wrong.unseal()).rejects.toMatchObject({ code: 'HUSH_E_UNSEAL_FAILED' });
    const missing = createStore({ backend: t.backend, seal: new KeyFileSeal({ path: `${t.dir}/nope.key` }) });
    await expect(missing.unseal()).rejects.toMatchObject({ code: 'HUSH_E_UNSEAL_FAILED' });
    const otherKind = createStore({
      backend: t.backend,
      seal: {
        kind: 'shamir',
        init: async () => ({ record: { kind: 'shamir' } }),
        unseal: async () => Buffer.alloc(32),
      },
    });
    await expect(otherKind.unseal()).rejects.toMatchObject({ code: 'HUSH_E_CONFIG' });
  });

  it('unseal rejects a recovered key that does not match the store check value', async () => {
    const a = await fresh();
    const b = await fresh();
    await a.store.init();
    await b.store.init();
    const entryA = JSON.parse((await a.backend.get('sys/seal'))!.value.toString());
    const entryB = JSON.parse((await b.backend.get('sys/seal'))!.value.toString());
    await a.backend.put('sys/seal', Buffer.from(JSON.stringify({ ...entryA, record: entryB.record })));
    const confused = createStore({ backend: a.backend, seal: new KeyFileSeal({ path: b.keyPath }) });
    await expect(confused.unseal()).rejects.toMatchObject({
      code: 'HUSH_E_UNSEAL_FAILED',
      message: expect.stringContaining('does not belong to this store'),
    });
    expect(confused.isSealed()).toBe(true);
  });

  it('close seals and closes the backend', async () => {
    const t = await fresh();
    const backend = await openSqliteBackend({ path: `${t.dir}/other.db` });
    const store = createStore({ backend, seal: new KeyFileSeal({ path: `${t.dir}/k2` }) });
    await store.init();
    await store.close();
    expect(store.isSealed()).toBe(true);
    await expect(backend.get('sys/seal')).rejects.toMatchObject({ code: 'HUSH_E_STORAGE' });
  });
});

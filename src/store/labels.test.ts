import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../test/support/temp-dir.js';
import { KeyFileSeal } from '../seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore } from './index.js';

const P = 'app/prod/db';
const actor = 'user:test';
const dirs: string[] = [];
const stores: HushStore[] = [];

async function sqliteStore(): Promise<HushStore> {
  const dir = await makeTempDir('labels');
  dirs.push(dir);
  const backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
  const store = createStore({ backend, seal: new KeyFileSeal({ path: join(dir, 'root.key') }) });
  await store.init();
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await removeTempDir(d);
});

describe('version labels (SQLite)', () => {
  it('serves the latest version while a secret has never been staged', async () => {
    const store = await sqliteStore();
    await store.put(P, 'one', { actor });
    await store.put(P, 'two', { actor });
    expect((await store.get(P)).value).toBe('two');
    expect((await store.versions(P)).labels).toBeUndefined();
    await expect(store.get(P, { label: 'pending' })).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
  });

  it('a staged version is pending and not served until promoted; promote shifts current to previous', async () => {
    const store = await sqliteStore();
    await store.put(P, 'old', { actor });
    const staged = await store.put(P, 'new', { actor, stage: true });
    expect(staged).toMatchObject({ version: 2, label: 'pending' });
    expect((await store.get(P)).value).toBe('old');
    expect((await store.get(P, { label: 'current' })).version).toBe(1);
    expect((await store.get(P, { label: 'pending' })).value).toBe('new');
    expect((await store.versions(P)).labels).toEqual({ current: 1, pending: 2 });

    const info = await store.promote(P, { actor, cas: 2 });
    expect(info.labels).toEqual({ current: 2, previous: 1 });
    expect((await store.get(P)).value).toBe('new');
    expect((await store.get(P, { label: 'previous' })).value).toBe('old');
  });

  it('cancel drops the pending label and keeps serving current', async () => {
    const store = await sqliteStore();
    await store.put(P, 'old', { actor });
    await store.put(P, 'bad', { actor, stage: true });
    const info = await store.cancelPending(P, { actor });
    expect(info.labels).toEqual({ current: 1 });
    expect((await store.get(P)).value).toBe('old');
    expect(info.versions.map((v) => v.version)).toEqual([1, 2]);
    await expect(store.promote(P, { actor })).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
  });

  it('promote is check-and-set on the pending version', async () => {
    const store = await sqliteStore();
    await store.put(P, 'a', { actor });
    await store.put(P, 'b', { actor, stage: true });
    await store.put(P, 'c', { actor, stage: true }); // a second rotation staged a newer value
    await expect(store.promote(P, { actor, cas: 2 })).rejects.toMatchObject({ code: 'HUSH_E_CAS_CONFLICT' });
    expect((await store.get(P)).value).toBe('a');
    await store.promote(P, { actor, cas: 3 });
    expect((await store.get(P)).value).toBe('c');
  });

  it('a direct write on a staged secret becomes current and drops the stale pending', async () => {
    const store = await sqliteStore();
    await store.put(P, 'a', { actor });
    await store.put(P, 'b', { actor, stage: true });
    await store.put(P, 'c', { actor });
    expect((await store.versions(P)).labels).toEqual({ current: 3, previous: 1 });
    expect((await store.get(P)).value).toBe('c');
  });

  it('staging a brand-new secret has no current: default reads say how to proceed', async () => {
    const store = await sqliteStore();
    await store.put(P, 'first', { actor, stage: true });
    await expect(store.get(P)).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
    expect((await store.get(P, { label: 'pending' })).value).toBe('first');
    await store.promote(P, { actor });
    expect((await store.get(P)).value).toBe('first');
  });

  it('labels survive a reopen (they live in the encrypted metadata)', async () => {
    const store = await sqliteStore();
    await store.put(P, 'x', { actor });
    await store.put(P, 'y', { actor, stage: true });
    const other = createStore({
      backend: store.readBackend,
      seal: new KeyFileSeal({ path: join(dirs[0]!, 'root.key') }),
      readCache: false,
    });
    await other.unseal({});
    expect((await other.get(P)).value).toBe('x');
    expect((await other.versions(P)).labels).toEqual({ current: 1, pending: 2 });
  });

  it('rejects a version and a label together', async () => {
    const store = await sqliteStore();
    await store.put(P, 'x', { actor });
    await expect(store.get(P, { version: 1, label: 'current' })).rejects.toMatchObject({
      code: 'HUSH_E_USAGE',
    });
  });
});

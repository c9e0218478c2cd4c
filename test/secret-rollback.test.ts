import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeSealedMetadata } from '../src/core/secrets/record-codec.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import type { StorageBackend } from '../src/storage/backend.js';
import { MemoryBackend } from '../src/storage/memory/memory-backend.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore } from '../src/store/index.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// An attacker with write access to the storage (not the root key) copies a secret's rows while a version is live,
// and puts them back under their own keys after `hush delete` / `hush destroy`. The rows still open (they are
// sealed for exactly that location), so only the separately kept version tombstone can tell.

let dir: string;
const stores: { close(): Promise<void> }[] = [];
beforeEach(async () => {
  dir = await makeTempDir('secret-rollback');
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  await removeTempDir(dir);
});

/** A store process on the SQLite file of this test (a fresh one per call: a restarted server). */
async function open(initialise = false) {
  const store = createStore({
    backend: await openSqliteBackend({ path: join(dir, 'hush.db') }),
    seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
  });
  stores.push(store);
  if (initialise) await store.init();
  else await store.unseal({});
  return store;
}

interface Row {
  key: string;
  value: Buffer;
  revision: number;
}

function rows(sql: string, ...args: string[]): Row[] {
  const db = new Database(join(dir, 'hush.db'));
  try {
    return db.prepare(`SELECT key, value, revision FROM kv WHERE ${sql}`).all(...args) as Row[];
  } finally {
    db.close();
  }
}

/** The raw rows at exactly these keys, as copied out by someone with storage read access. */
function copy(...keys: string[]): Row[] {
  return keys.flatMap((k) => rows('key = ?', k));
}

/** Put rows back under their own keys (storage write access, no key material). */
function putBack(saved: readonly Row[]): void {
  const db = new Database(join(dir, 'hush.db'));
  try {
    const put = db.prepare('INSERT OR REPLACE INTO kv (key, value, revision) VALUES (?, ?, ?)');
    for (const r of saved) put.run(r.key, r.value, r.revision);
  } finally {
    db.close();
  }
}

const keysBelow = (prefix: string) =>
  rows('key >= ? AND key < ?', prefix, `${prefix}\uffff`).map((r) => r.key);

describe('rollback of secret rows after delete and destroy', () => {
  it('an old metadata row put back after a soft delete is refused, not served as current', async () => {
    const store = await open(true);
    await store.put('app/prod/db', 'old-password', { actor: 'alice' });
    const saved = copy('meta/app/prod/db');
    expect(saved).toHaveLength(1);
    await store.delete('app/prod/db', { actor: 'alice' });
    putBack(saved);

    const fresh = await open();
    await expect(fresh.get('app/prod/db')).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
      message: expect.stringContaining('rollback'),
    });
    // Nor can the stale content be copied into a new version.
    await expect(fresh.rollback('app/prod/db', { version: 1, actor: 'bob' })).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
    });
    // The running store sees the tampering too (the read cache follows storage changes).
    await expect(store.get('app/prod/db')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
  });

  it('metadata and data rows put back after a destroy are refused', async () => {
    const store = await open(true);
    await store.put('app/prod/api', 'v1', { actor: 'alice' });
    await store.put('app/prod/api', 'leaked', { actor: 'alice' });
    const saved = copy('meta/app/prod/api', 'data/app/prod/api#2');
    expect(saved).toHaveLength(2);
    await store.destroy('app/prod/api', { actor: 'alice', versions: [2] });
    putBack(saved);

    const fresh = await open();
    await expect(fresh.get('app/prod/api')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
    await expect(fresh.get('app/prod/api', { version: 2 })).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
    });
    // Untouched versions still read.
    expect((await fresh.get('app/prod/api', { version: 1 })).value).toBe('v1');
  });

  it('a deleted then destroyed version put back from before the delete is refused', async () => {
    const store = await open(true);
    await store.put('app/prod/k', 'first', { actor: 'alice' });
    const saved = copy('meta/app/prod/k', 'data/app/prod/k#1');
    await store.delete('app/prod/k', { actor: 'alice' });
    await store.destroy('app/prod/k', { actor: 'alice' });
    putBack(saved);
    await expect((await open()).get('app/prod/k')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
  });

  it('a rolled-back secret cannot be laundered by moving it away from its tombstone', async () => {
    const store = await open(true);
    await store.put('app/prod/m', 'old-password', { actor: 'alice' });
    const saved = copy('meta/app/prod/m');
    await store.delete('app/prod/m', { actor: 'alice' });
    putBack(saved);
    const fresh = await open();
    await expect(fresh.move('app/prod/m', 'app/prod/n', { actor: 'bob' })).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
    });
    await expect(fresh.get('app/prod/n')).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
    await expect(fresh.get('app/prod/m')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
  });

  it('a forged tombstone does not pass for a real one, and still refuses the read', async () => {
    const store = await open(true);
    await store.put('app/prod/f', 'one', { actor: 'alice' });
    const saved = copy('meta/app/prod/f');
    await store.delete('app/prod/f', { actor: 'alice' });
    const [tomb] = copy('gone/app/prod/f#1');
    putBack([...saved, { ...tomb!, value: Buffer.from(tomb!.value.map((b, i) => (i === 20 ? b ^ 1 : b))) }]);
    await expect((await open()).get('app/prod/f')).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
      message: expect.stringContaining('fails its integrity check'),
    });
  });

  it('undelete removes the tombstone in its batch; prune and move keep tombstones with their versions', async () => {
    const store = await open(true);
    await store.put('app/prod/u', 'one', { actor: 'alice' });
    await store.delete('app/prod/u', { actor: 'alice' });
    expect(keysBelow('gone/')).toEqual(['gone/app/prod/u#1']);
    await store.undelete('app/prod/u', { actor: 'alice' });
    expect(keysBelow('gone/')).toEqual([]);
    expect((await store.get('app/prod/u')).value).toBe('one');

    // Versions 1 (destroyed) and 2 (deleted) move with their tombstones; the source keeps none.
    await store.put('app/prod/u', 'two', { actor: 'alice' });
    await store.put('app/prod/u', 'three', { actor: 'alice' });
    await store.destroy('app/prod/u', { actor: 'alice', versions: [1] });
    await store.delete('app/prod/u', { actor: 'alice', versions: [2] });
    await store.move('app/prod/u', 'app/prod/w', { actor: 'alice' });
    expect(keysBelow('gone/')).toEqual(['gone/app/prod/w#1', 'gone/app/prod/w#2']);
    await store.undelete('app/prod/w', { actor: 'alice', versions: [2] });
    expect((await (await open()).get('app/prod/w', { version: 2 })).value).toBe('two');
    expect(keysBelow('gone/')).toEqual(['gone/app/prod/w#1']);

    // A new secret at the old path reuses version numbers without meeting stale tombstones.
    await store.put('app/prod/u', 'fresh', { actor: 'alice' });
    expect((await (await open()).get('app/prod/u')).value).toBe('fresh');
  });

  it('pruning old versions drops their tombstones with them', async () => {
    const store = createStore({
      backend: await openSqliteBackend({ path: join(dir, 'hush.db') }),
      seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
      maxVersions: 2,
    });
    stores.push(store);
    await store.init();
    await store.put('app/prod/p', 'one', { actor: 'alice' });
    await store.delete('app/prod/p', { actor: 'alice' });
    expect(keysBelow('gone/')).toEqual(['gone/app/prod/p#1']);
    await store.put('app/prod/p', 'two', { actor: 'alice' });
    await store.put('app/prod/p', 'three', { actor: 'alice' });
    expect((await store.versions('app/prod/p')).versions.map((v) => v.version)).toEqual([2, 3]);
    expect(keysBelow('gone/')).toEqual([]);
  });

  it('on a backend without a read cache, the tombstone lookup and the value read are in flight together', async () => {
    // PostgreSQL and DynamoDB have no change marker, so every get looks the tombstone up in storage: it must not
    // add a round trip in a row before the value read.
    const inner = new MemoryBackend();
    const inFlight = new Set<string>();
    let together = false;
    const backend: StorageBackend = Object.assign(Object.create(inner) as StorageBackend, {
      async get(key: string) {
        inFlight.add(key);
        if (
          [...inFlight].some((k) => k.startsWith('gone/')) &&
          [...inFlight].some((k) => k.startsWith('data/'))
        )
          together = true;
        await new Promise((r) => setImmediate(r));
        try {
          return await inner.get(key);
        } finally {
          inFlight.delete(key);
        }
      },
    });
    const store = createStore({ backend, seal: new KeyFileSeal({ path: join(dir, 'root.key') }) });
    stores.push(store);
    await store.init();
    await store.put('app/prod/pg', 'one', { actor: 'alice' });
    together = false;
    expect((await store.get('app/prod/pg')).value).toBe('one');
    expect(together).toBe(true);
    // And a rolled-back version is still refused on that path.
    await store.delete('app/prod/pg', { actor: 'alice' });
    const tomb = await inner.get('gone/app/prod/pg#1');
    await store.undelete('app/prod/pg', { actor: 'alice' });
    await inner.put('gone/app/prod/pg#1', tomb!.value);
    await expect(store.get('app/prod/pg')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
  });

  it('a KEK rotation with rewrap moves tombstones to the new KEK before --prune drops the old one', async () => {
    const store = await open(true);
    await store.put('app/prod/r', 'one', { actor: 'alice' });
    await store.put('app/prod/r', 'two', { actor: 'alice' });
    await store.delete('app/prod/r', { actor: 'alice', versions: [1] });
    const kekOf = () => decodeSealedMetadata(copy('gone/app/prod/r#1')[0]!.value, 'tombstone').kekVersion;
    expect(kekOf()).toBe(1);
    await store.rotateKek('app/prod');
    const result = await store.rewrap('app/prod', { prune: true });
    expect(result.prunedVersions).toEqual([1]);
    expect(kekOf()).toBe(2);
    // Still a tombstone that opens: a rollback is named as one, not as a broken row.
    const [tomb] = copy('gone/app/prod/r#1');
    await store.undelete('app/prod/r', { actor: 'alice', versions: [1] });
    putBack([tomb!]);
    await expect((await open()).get('app/prod/r', { version: 1 })).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
      message: expect.stringContaining('an older row was put back'),
    });
  });
});

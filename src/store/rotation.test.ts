import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unsealedStores } from '../../test/support/test-store.js';
import { decodeSealedValue } from '../core/secrets/record-codec.js';
import { KeyFileSeal } from '../seal/key-file/key-file-seal.js';
import { createStore } from './index.js';

const unsealed = unsealedStores();
const actor = 'user:alice';

async function kekOf(t: Awaited<ReturnType<typeof unsealed>>, key: string): Promise<number> {
  return decodeSealedValue((await t.backend.get(key))!.value, key).kekVersion;
}

describe('KEK rotation and rewrap', () => {
  it('rotate adds a version for new writes; old values stay readable; rewrap moves them; prune drops old KEKs', async () => {
    const t = await unsealed();
    await t.store.put('p/e/a', 'a1', { actor });
    await t.store.put('p/e/b/c', 'c1', { actor });
    await t.store.put('q/e/x', 'x1', { actor });
    const rotated = await t.store.rotateKek('p/e');
    expect(rotated).toMatchObject({ scope: 'p/e', current: 2 });
    expect(rotated.versions.map((v) => v.version)).toEqual([1, 2]);
    await t.store.put('p/e/a', 'a2', { actor });
    expect(await kekOf(t, 'data/p/e/a#1')).toBe(1);
    expect(await kekOf(t, 'data/p/e/a#2')).toBe(2);
    expect((await t.store.get('p/e/a', { version: 1 })).value).toBe('a1');

    const first = await t.store.rewrap('p/e');
    expect(first).toMatchObject({
      kekVersion: 2,
      secrets: 2,
      rewrapped: 2,
      alreadyCurrent: 1,
      prunedVersions: [],
    });
    expect(await kekOf(t, 'data/p/e/a#1')).toBe(2);
    const second = await t.store.rewrap('p/e', { prune: true });
    expect(second).toMatchObject({
      rewrapped: 0,
      alreadyCurrent: 3,
      metadataRewrapped: 0,
      prunedVersions: [1],
    });
    expect(second.keyring.versions.map((v) => v.version)).toEqual([2]);
    // Another process (fresh unseal) reads everything under the pruned keyring.
    const other = await t.reopen();
    await other.unseal();
    expect((await other.get('p/e/a', { version: 1 })).value).toBe('a1');
    expect((await other.get('p/e/b/c')).value).toBe('c1');
    expect((await other.get('q/e/x')).value).toBe('x1');
    expect(await kekOf(t, 'data/q/e/x#1')).toBe(1);
  });

  it('rewrap alongside concurrent writers loses nothing and ends with everything readable', async () => {
    const t = await unsealed();
    for (let i = 0; i < 10; i += 1) await t.store.put(`p/e/s${i}`, `v${i}`, { actor });
    await t.store.rotateKek('p/e');
    const writer = await t.reopen();
    await writer.unseal();
    await Promise.all([
      t.store.rewrap('p/e'),
      ...Array.from({ length: 10 }, (_, i) => writer.put(`p/e/s${i}`, `w${i}`, { actor })),
    ]);
    const final = await t.store.rewrap('p/e', { prune: true });
    expect(final).toMatchObject({ rewrapped: 0, prunedVersions: [1] });
    for (let i = 0; i < 10; i += 1) {
      expect((await t.store.get(`p/e/s${i}`, { version: 1 })).value).toBe(`v${i}`);
      expect((await t.store.get(`p/e/s${i}`)).value).toBe(`w${i}`);
    }
  });

  it.each([
    { maxVersions: 100, pruning: 'nothing pruned' },
    { maxVersions: 6, pruning: 'each write prunes the oldest version' },
  ])(
    'rewrap finishes on a busy secret: a version is committed on every third read of it ($pruning)',
    async ({ maxVersions }) => {
      const t = await unsealed({ maxVersions });
      for (let i = 1; i <= 5; i += 1) await t.store.put('p/e/hot', `h${i}`, { actor });
      await t.store.rotateKek('p/e');
      const writer = await t.reopen();
      await writer.unseal();
      // The rewrapping store reads the real rows, but another writer commits a new version of the secret on every
      // third read rewrap makes of it (metadata or data row) before that read is answered: a busy secret, made
      // deterministic. A whole-secret batch always spans such a write; a single row with its metadata need not.
      let reads = 0;
      let writes = 0;
      const backend = new Proxy(t.backend, {
        get(target, prop, receiver) {
          if (prop !== 'get') return Reflect.get(target, prop, receiver);
          return async (key: string) => {
            if (/^(meta|data)\/p\/e\/hot(#\d+)?$/.test(key) && ++reads % 3 === 0 && writes < 200) {
              writes += 1;
              await writer.put('p/e/hot', `w${writes}`, { actor });
            }
            return target.get(key);
          };
        },
      });
      const rewrapper = createStore({ backend, seal: new KeyFileSeal({ path: t.keyPath }), maxVersions });
      await rewrapper.unseal();
      const result = await rewrapper.rewrap('p/e');
      expect(result.secrets).toBe(1);
      // Unpruned, all five old rows moved; pruned, some went before rewrap reached them.
      if (maxVersions === 100) expect(result.rewrapped).toBe(5);
      else expect(result.rewrapped).toBeLessThanOrEqual(5);
      expect(writes).toBeGreaterThan(0);
      expect(writes).toBeLessThan(200);
      const settled = await t.store.rewrap('p/e', { prune: true });
      expect(settled).toMatchObject({ rewrapped: 0, prunedVersions: [1] });
      const other = await t.reopen();
      await other.unseal();
      const { versions } = await other.versions('p/e/hot');
      expect(versions).toHaveLength(Math.min(maxVersions, 5 + writes));
      for (const { version } of versions) {
        const expected = version <= 5 ? `h${version}` : `w${version - 5}`;
        expect((await other.get('p/e/hot', { version })).value).toBe(expected);
      }
    },
  );

  it('rewrap never writes an old row over a new secret created at the same path meanwhile', async () => {
    const t = await unsealed();
    await t.store.put('p/e/a', 'old-1', { actor });
    await t.store.rotateKek('p/e');
    await t.store.put('p/e/a', 'old-2', { actor }); // the metadata is now sealed under the new KEK
    const writer = await t.reopen();
    await writer.unseal();
    // Right after rewrap reads the old v1 row: the secret is renamed away and a new one is written at its path.
    // Revisions restart after a delete, so the new v1 row has the revision rewrap read.
    let fired = false;
    const backend = new Proxy(t.backend, {
      get(target, prop, receiver) {
        if (prop !== 'get') return Reflect.get(target, prop, receiver);
        return async (key: string) => {
          const row = await target.get(key);
          if (key === 'data/p/e/a#1' && !fired) {
            fired = true;
            await writer.move('p/e/a', 'p/e/renamed', { actor });
            await writer.put('p/e/a', 'new-1', { actor });
            expect((await target.get(key))?.revision).toBe(row?.revision);
          }
          return row;
        };
      },
    });
    const rewrapper = createStore({ backend, seal: new KeyFileSeal({ path: t.keyPath }) });
    await rewrapper.unseal();
    await rewrapper.rewrap('p/e');
    expect(fired).toBe(true);
    const other = await t.reopen();
    await other.unseal();
    expect((await other.get('p/e/a')).value).toBe('new-1');
    expect((await other.get('p/e/renamed', { version: 1 })).value).toBe('old-1');
    expect((await other.get('p/e/renamed')).value).toBe('old-2');
  });

  it('rejects bad scopes and unknown keyrings', async () => {
    const t = await unsealed();
    await expect(t.store.rotateKek('p')).rejects.toMatchObject({ code: 'HUSH_E_INVALID_ADDRESS' });
    await expect(t.store.rotateKek('p/e/x')).rejects.toMatchObject({ code: 'HUSH_E_INVALID_ADDRESS' });
    await expect(t.store.rotateKek('p/e')).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
  });
});

describe('root rotation', () => {
  it('re-seals everything under a new root; new material unseals, old material fails', async () => {
    const t = await unsealed();
    await t.store.put('p/e/a', 'a1', { actor });
    await t.store.put('q/f/b', 'b1', { actor });
    const newPath = join(t.dir, 'root-2.key');
    await expect(t.store.rotateRoot()).rejects.toMatchObject({ code: 'HUSH_E_ALREADY_EXISTS' });
    const result = await t.store.rotateRoot({ seal: new KeyFileSeal({ path: newPath }) });
    expect(result.sealKind).toBe('key-file');
    expect((await t.store.get('p/e/a')).value).toBe('a1');
    await t.store.put('p/e/a', 'a2', { actor });

    const withNew = createStore({ backend: t.backend, seal: new KeyFileSeal({ path: newPath }) });
    await withNew.unseal();
    expect((await withNew.get('q/f/b')).value).toBe('b1');
    expect((await withNew.get('p/e/a')).value).toBe('a2');
    const withOld = createStore({ backend: t.backend, seal: new KeyFileSeal({ path: t.keyPath }) });
    await expect(withOld.unseal()).rejects.toMatchObject({ code: 'HUSH_E_UNSEAL_FAILED' });
    // The store object that rotated now uses the new seal across seal/unseal.
    await t.store.seal();
    await t.store.unseal();
    expect((await t.store.get('p/e/a')).value).toBe('a2');
  });

  it('a process still holding the old root cannot create keyrings under it', async () => {
    const t = await unsealed();
    await t.store.put('p/e/a', 'a1', { actor });
    const stale = await t.reopen();
    await stale.unseal();
    await t.store.rotateRoot({ seal: new KeyFileSeal({ path: join(t.dir, 'r2.key') }) });
    await expect(stale.put('new/env/x', 'v', { actor })).rejects.toMatchObject({ code: 'HUSH_E_SEALED' });
    expect(stale.isSealed()).toBe(true);
    const reader = createStore({
      backend: await t.openBackend(),
      seal: new KeyFileSeal({ path: join(t.dir, 'r2.key') }),
    });
    await reader.unseal();
    expect((await reader.get('p/e/a')).value).toBe('a1');
    await t.store.rotateRoot({ seal: new KeyFileSeal({ path: join(t.dir, 'r3.key') }) });
    await expect(reader.get('p/e/a')).rejects.toMatchObject({ code: 'HUSH_E_SEALED' });
  });
});

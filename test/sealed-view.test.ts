import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { createStore } from '../src/store/index.js';
import { openSealedView, type SealedView, type SealedViewSpec } from '../src/store/sealed-view/index.js';
import { backendFactories } from './support/backends.js';
import { expectHushError, expectHushErrorAsync } from './support/expect-hush-error.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// The barrier view every sealed record family opens, over the store as the server composes it (its read cache
// included), on every real storage backend of the conformance suite.
const view = (name: string, prefixes: string[]): SealedViewSpec => ({
  name,
  prefixes,
  keyring: { project: `@${name}`, environment: 'v1' },
  info: { lookup: `test ${name} lookup`, record: `test ${name} record` },
});

/** Read a record twice, so the second read may be served from the view's plaintext cache. */
async function readHot(records: SealedView, key: string) {
  await records.get(key);
  return records.get<{ n: number }>(key);
}

describe.each(backendFactories.filter((f) => f.name !== 'memory'))('sealed view on $name', (factory) => {
  let dir: string | undefined;
  afterEach(async () => {
    await factory.cleanup();
    if (dir) await removeTempDir(dir);
    dir = undefined;
  });

  async function openStore() {
    dir = await makeTempDir('sealed-view');
    const store = createStore({
      backend: await factory.open(),
      seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
    });
    await store.init();
    return store;
  }

  it('keeps each view to its own prefixes', async () => {
    const store = await openStore();
    const left = openSealedView(store.readBackend, store.barrier, view('left', ['left/']));
    const right = openSealedView(store.readBackend, store.barrier, view('right', ['right/', 'sys/right']));
    await left.batch([{ op: 'put', key: 'left/a', value: { n: 1 } }]);
    await right.batch([{ op: 'put', key: 'right/a', value: { n: 2 } }]);
    expect((await readHot(left, 'left/a'))?.value).toEqual({ n: 1 });
    expect((await readHot(right, 'right/a'))?.value).toEqual({ n: 2 });
    // The other view's prefix, a `..` step out of its own, or a sibling of an exact-key prefix: refused, not read.
    for (const key of ['right/a', 'left/../right/a', 'left/..', '../left/a', 'sys/policy/root']) {
      await expectHushErrorAsync(left.get(key), 'HUSH_E_INVALID_INPUT');
      expectHushError(() => left.peek(key), 'HUSH_E_INVALID_INPUT');
    }
    await expectHushErrorAsync(right.get('left/a'), 'HUSH_E_INVALID_INPUT');
    // An exact-key prefix is that one key: not a sibling that merely starts with it, nor a listing of those.
    await right.batch([{ op: 'put', key: 'sys/right', value: { n: 5 } }]);
    expect((await right.get('sys/right'))?.value).toEqual({ n: 5 });
    for (const key of ['sys/right-x', 'sys/rightly/a', 'sys/right/a']) {
      await expectHushErrorAsync(right.get(key), 'HUSH_E_INVALID_INPUT');
      await expectHushErrorAsync(right.batch([{ op: 'put', key, value: { n: 6 } }]), 'HUSH_E_INVALID_INPUT');
    }
    await expectHushErrorAsync(right.keys('sys/right'), 'HUSH_E_INVALID_INPUT');
    await expectHushErrorAsync(left.keys('right/'), 'HUSH_E_INVALID_INPUT');
    await expectHushErrorAsync(
      left.batch([
        { op: 'put', key: 'left/b', value: { n: 3 } },
        { op: 'delete', key: 'right/a' },
      ]),
      'HUSH_E_INVALID_INPUT',
    );
    // Nothing of a refused batch was written, and the other view's record is intact.
    expect(await left.keys('left/')).toEqual(['left/a']);
    expect((await right.get<{ n: number }>('right/a'))?.value).toEqual({ n: 2 });
    // A name with dots but no `..` segment is an ordinary key.
    await left.batch([{ op: 'put', key: 'left/a..b', value: { n: 4 } }]);
    expect((await left.get('left/a..b'))?.value).toEqual({ n: 4 });
    await store.close();
  });

  it('wipes every view when the barrier closes and reads again once unsealed', async () => {
    const store = await openStore();
    const left = openSealedView(store.readBackend, store.barrier, view('left', ['left/']));
    const right = openSealedView(store.readBackend, store.barrier, view('right', ['right/']));
    let derivedWiped = 0;
    right.onWipe(() => derivedWiped++);
    await left.batch([{ op: 'put', key: 'left/a', value: { n: 1 } }]);
    await right.batch([{ op: 'put', key: 'right/a', value: { n: 2 } }]);
    await readHot(left, 'left/a');
    await readHot(right, 'right/a');
    expect(left.cachedRecords()).toBe(1);
    expect(right.cachedRecords()).toBe(1);

    await store.seal({ persist: false });
    expect(left.cachedRecords()).toBe(0);
    expect(right.cachedRecords()).toBe(0);
    expect(derivedWiped).toBe(1);
    expect(left.peek('left/a')).toBeUndefined();
    expect(left.peekLookupId('hush_s_x')).toBeUndefined();
    await expectHushErrorAsync(left.get('left/a'), 'HUSH_E_SEALED');
    await expectHushErrorAsync(right.get('right/a'), 'HUSH_E_SEALED');
    await expectHushErrorAsync(left.batch([{ op: 'put', key: 'left/b', value: { n: 3 } }]), 'HUSH_E_SEALED');
    expect(left.cachedRecords()).toBe(0);

    await store.unseal();
    expect((await left.get<{ n: number }>('left/a'))?.value).toEqual({ n: 1 });
    expect((await right.get<{ n: number }>('right/a'))?.value).toEqual({ n: 2 });
    expect(left.cachedRecords()).toBe(1);
    await store.close();
  });

  it('fails sealed, holds nothing and writes nothing under wiped keys when the barrier closes mid-call', async () => {
    const store = await openStore();
    const left = openSealedView(store.readBackend, store.barrier, view('left', ['left/']));
    await left.batch([{ op: 'put', key: 'left/a', value: { n: 1 } }]);
    // Close the barrier after every number of turns a read or a write may be in flight for.
    for (let turns = 0; turns < 40; turns++) {
      await store.unseal();
      const settle = (p: Promise<unknown>) =>
        p.then(
          () => 'ok',
          (err: { code?: string }) => `${err.code}`,
        );
      const read = settle(left.get('left/a'));
      const write = settle(left.batch([{ op: 'put', key: `left/w${turns}`, value: { n: turns } }]));
      const id = settle(left.lookupId('hush_s_x'));
      for (let i = 0; i < turns; i++) await Promise.resolve();
      store.barrier.close();
      // Done before the close, or refused as sealed: never opened or hashed with the zeroed keys (HUSH_E_INTEGRITY).
      for (const outcome of await Promise.all([read, write, id]))
        expect(['ok', 'HUSH_E_SEALED'], `turn ${turns}`).toContain(outcome);
      // Nothing decrypted after the wipe stays in memory.
      expect(left.cachedRecords(), `turn ${turns}`).toBe(0);
    }
    await store.unseal();
    // Every write that landed opens under the real keys (none was sealed under a zeroed one).
    for (const key of await left.keys('left/')) await left.get(key);
    await store.close();
  });
});

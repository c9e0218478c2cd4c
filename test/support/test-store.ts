import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { KeyFileSeal } from '../../src/seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore, type StoreDeps } from '../../src/store/index.js';
import { listKeys } from '../../src/store/keys/list-keys.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/**
 * Test support (used by the co-located store tests): a real key-file seal and a real SQLite file in a temp dir, with
 * the store's read cache on, as `hush` and `hush server` run it.
 */
export async function makeTestStore(options: Partial<Omit<StoreDeps, 'backend' | 'seal'>> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'hush-store-'));
  const dbPath = join(dir, 'hush.db');
  const backend = await openSqliteBackend({ path: dbPath });
  const others: Awaited<ReturnType<typeof openSqliteBackend>>[] = [];
  /** Another connection to the same file, as another process has (its read cache stays coherent through SQLite). */
  async function openBackend() {
    const other = await openSqliteBackend({ path: dbPath });
    others.push(other);
    return other;
  }
  const keyPath = join(dir, 'root.key');
  const seal = new KeyFileSeal({ path: keyPath });
  const store = createStore({ backend, seal, ...options });
  /** Every stored row, raw, for "what does storage see" assertions. */
  async function dump(): Promise<Map<string, Buffer>> {
    const rows = new Map<string, Buffer>();
    for await (const key of listKeys(backend, '')) rows.set(key, (await backend.get(key))!.value);
    return rows;
  }
  return {
    dir,
    backend,
    keyPath,
    seal,
    store,
    dump,
    openBackend,
    /** A second store over its own connection to the same file, as another process would have. */
    reopen: async () =>
      createStore({ backend: await openBackend(), seal: new KeyFileSeal({ path: keyPath }), ...options }),
    cleanup: async () => {
      // A test may have closed one already.
      for (const b of [backend, ...others]) await b.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Register an afterEach that removes every store made by the returned factory, which makes an initialised (unsealed)
 * test store per call (`more` adds to `options`): the shared set-up of the store tests.
 */
export function unsealedStores(options: Partial<Omit<StoreDeps, 'backend' | 'seal'>> = {}) {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  return async function unsealed(more: Partial<Omit<StoreDeps, 'backend' | 'seal'>> = {}) {
    const t = await makeTestStore({ ...options, ...more });
    cleanups.push(t.cleanup);
    await t.store.init();
    return t;
  };
}

/**
 * One initialised store for a whole test file (a real key-file seal and SQLite file in a temp dir named after
 * `label`): made before the file's first test, closed and removed after its last. Read `dir` and `store` inside hooks
 * and tests, not at import time.
 */
export function useFileStore(label: string): { readonly dir: string; readonly store: HushStore } {
  let dir: string | undefined;
  let store: HushStore | undefined;
  beforeAll(async () => {
    dir = await makeTempDir(label);
    const backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
    store = createStore({ backend, seal: new KeyFileSeal({ path: join(dir, 'root.key') }) });
    await store.init();
  });
  afterAll(async () => {
    await store?.close();
    if (dir) await removeTempDir(dir);
  });
  return {
    get dir() {
      if (dir === undefined) throw new Error('useFileStore: dir read before beforeAll ran');
      return dir;
    },
    get store() {
      if (store === undefined) throw new Error('useFileStore: store read before beforeAll ran');
      return store;
    },
  };
}

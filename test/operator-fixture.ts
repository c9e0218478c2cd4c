import { join } from 'node:path';
import { expect } from 'vitest';
import { createIdentity } from '../src/identity/index.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import type { StorageBackend } from '../src/storage/backend.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore } from '../src/store/index.js';

/** Secrets of the fixture store: path -> value of each version (index 0 = version 1). */
export type VersionValues = ReadonlyMap<string, readonly string[]>;

/**
 * A real store in `dataDir` (SQLite `hush.db`, key-file seal `root.key`): secrets with several versions, a JSON
 * document, and identity tokens (a root token and a child token), as `hush init` and the server would leave it.
 */
export async function buildFixtureStore(dataDir: string) {
  const backend = await openSqliteBackend({ path: join(dataDir, 'hush.db') });
  const store = createStore({ backend, seal: new KeyFileSeal({ path: join(dataDir, 'root.key') }) });
  const secrets = new Map<string, string[]>();
  try {
    await store.init();
    for (let i = 0; i < 12; i++) {
      const path = `payments/prod/svc-${i}`;
      const values = [1, 2, 3].map((v) => `fixture-value-${i}-v${v}-q8Zr`);
      for (const value of values) await store.put(path, value, { actor: 'user:test' });
      secrets.set(path, values);
    }
    const identity = createIdentity({ backend, barrier: store.barrier });
    const { rootToken } = await identity.onInit();
    const parent = await identity.services.tokens.authenticate(rootToken);
    const child = await identity.services.tokens.create({ policies: ['root'], ttlMs: 86_400_000 }, parent);
    return { secrets: secrets as VersionValues, tokens: [rootToken, child.token] };
  } finally {
    await store.close();
  }
}

/** Open a store on `backend` with the fixture's key file and check every version and token reads back. */
export async function expectFixtureReadable(
  backend: StorageBackend,
  keyFile: string,
  fixture: { secrets: VersionValues; tokens: readonly string[] },
): Promise<void> {
  const store = createStore({ backend, seal: new KeyFileSeal({ path: keyFile }) });
  await store.unseal();
  for (const [path, values] of fixture.secrets) {
    for (const [i, value] of values.entries()) {
      expect((await store.get(path, { version: i + 1 })).value).toBe(value);
    }
    expect((await store.get(path)).version).toBe(values.length);
  }
  const identity = createIdentity({ backend, barrier: store.barrier });
  for (const token of fixture.tokens) {
    await expect(identity.services.tokens.authenticate(token)).resolves.toBeDefined();
  }
  await store.seal({ persist: false });
}

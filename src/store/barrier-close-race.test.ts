import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../test/support/temp-dir.js';
import { KeyFileSeal } from '../seal/index.js';
import { openSqliteBackend } from '../storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore } from './index.js';

let dir: string | undefined;
let store: HushStore | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) await removeTempDir(dir);
});

// Sealing wipes every keyring the barrier holds. A keyring read that was in flight when it closed must not be
// opened and cached afterwards: its key material would sit in memory, unwiped, on a sealed store.
it('a keyring read in flight when the barrier closes leaves no unwiped key behind', async () => {
  dir = await makeTempDir('barrier-race');
  store = createStore({
    backend: await openSqliteBackend({ path: join(dir, 'hush.db') }),
    seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
  });
  await store.init();
  await store.put('app/prod/a', 'v', { actor: 'test' });
  for (let turns = 0; turns < 40; turns++) {
    await store.unseal();
    const read = store.barrier.keyring('app', 'prod', false).then(
      (opened) => opened,
      (err: { code?: string }) => err.code,
    );
    for (let i = 0; i < turns; i++) await Promise.resolve();
    store.barrier.close();
    const outcome = await read;
    if (typeof outcome === 'string') expect(outcome, `turn ${turns}`).toBe('HUSH_E_SEALED');
    else {
      // Handed out before the close: the close wiped it with the others.
      for (const v of outcome?.ring.versions ?? [])
        expect(
          v.key.every((b) => b === 0),
          `turn ${turns}`,
        ).toBe(true);
    }
  }
});

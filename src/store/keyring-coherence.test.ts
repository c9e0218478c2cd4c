import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../test/support/temp-dir.js';
import { KeyFileSeal } from '../seal/index.js';
import { openSqliteBackend } from '../storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore } from './index.js';

// Two stores on one SQLite file (two real connections) stand for two processes. Reads may be served from the read
// cache for the rest of an event-loop turn, but a write must never use a keyring version another process has
// rotated away from and pruned, however tight the writer's loop is.
describe('writers see keyring rotations by other processes at once', () => {
  let dir: string;
  let a: HushStore;
  let b: HushStore;

  beforeEach(async () => {
    dir = await makeTempDir('keyring-coherence');
    const open = async () =>
      createStore({
        backend: await openSqliteBackend({ path: join(dir, 'hush.db') }),
        seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
      });
    a = await open();
    await a.init();
    b = await open();
    await b.unseal();
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await removeTempDir(dir);
  });

  it('a write in the same turn as a rotate + prune elsewhere lands under the current KEK', async () => {
    await a.put('app/prod/one', 'first', { actor: 'test' });
    expect((await a.get('app/prod/one')).value).toBe('first'); // warms a's caches
    await b.rotateKek('app/prod');
    const pruned = await b.rewrap('app/prod', { prune: true });
    expect(pruned.keyring.versions.map((v) => v.version)).toEqual([2]);
    // No macrotask boundary since the rotation: a's read cache has not re-checked the file.
    await a.put('app/prod/two', 'second', { actor: 'test' });
    expect((await b.get('app/prod/two')).value).toBe('second');
    expect((await b.rewrap('app/prod')).rewrapped).toBe(0);
  });
});

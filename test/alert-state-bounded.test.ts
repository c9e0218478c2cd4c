import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERTS_VIEW, storedAlertState } from '../src/alerts/alert-state.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore } from '../src/store/index.js';
import { openSealedView } from '../src/store/sealed-view/index.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Cool-down records are only needed until their window ends: a long-running server (no restart to load and prune
// them) must not keep one record per suppression key ever armed.
describe('stored alert cool-downs', () => {
  let dir: string | undefined;
  let store: HushStore | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) await removeTempDir(dir);
    store = undefined;
    dir = undefined;
  });

  it('drops ended windows while the server runs, so distinct keys do not pile up in storage', async () => {
    dir = await makeTempDir('alert-state');
    store = createStore({
      backend: await openSqliteBackend({ path: join(dir, 'hush.db') }),
      seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
    });
    await store.init();
    let now = 1_000_000;
    const failed: unknown[] = [];
    const state = storedAlertState(
      openSealedView(store.readBackend, store.barrier, ALERTS_VIEW),
      (err) => failed.push(err),
      () => now,
    );
    // A storm of distinct keys (one source address each), each window long over before the next burst.
    for (let burst = 0; burst < 5; burst++) {
      for (let i = 0; i < 100; i++) state.armed(`canary-touched:root:decoy/${burst}/${i}`, now + 60_000);
      await state.flush();
      now += 120_000;
    }
    state.armed('canary-touched:root:decoy/live', now + 60_000);
    await state.flush();
    expect(failed).toEqual([]);
    const stored = (await store.readBackend.list('sys/alerts/cooldown/')).keys;
    expect(stored.length).toBeLessThanOrEqual(101);
    expect((await state.load(now)).map((c) => c.key)).toContain('canary-touched:root:decoy/live');
  });
});

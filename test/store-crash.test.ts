import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyFileSeal } from '../src/seal/index.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore } from '../src/store/index.js';
import { spawnNodeScript } from './support/child-process.js';
import { REPO_ROOT } from './support/compiled.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const WRITER = join(REPO_ROOT, 'test/support/store-crash-writer.mjs');
const KILLS = 55;
/** Writers loaded ahead of time (a Node start with the store takes ~0.5 s; kills should not wait for it). */
const WARM = 4;
/** Each writer gets its own range of n, so a writer can be started before the previous one's last write is known. */
const RANGE = 1_000_000;
/** Same formula as the writer's. */
const value = (n: number) => `value-${n}-${'x'.repeat(n % 300)}-end`;

async function withStore<T>(db: string, key: string, fn: (store: HushStore) => Promise<T>): Promise<T> {
  const store = createStore({
    backend: await openSqliteBackend({ path: db }),
    seal: new KeyFileSeal({ path: key }),
  });
  try {
    await store.unseal();
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('store crash safety: kill -9 in the middle of a write loop', () => {
  let dir: string;
  beforeAll(async () => {
    assertCompiledCli();
    dir = await makeTempDir('store-crash');
  });
  afterAll(() => removeTempDir(dir));

  it(`every acknowledged write reads back intact after ${KILLS} SIGKILLs at random points`, async () => {
    const db = join(dir, 'hush.db');
    const key = join(dir, 'root.key');
    const seed = createStore({
      backend: await openSqliteBackend({ path: db }),
      seal: new KeyFileSeal({ path: key }),
    });
    await seed.init();
    await seed.close();

    const acked: number[] = [];
    const spawnWriter = (i: number) => spawnNodeScript(WRITER, [db, key, String(i * RANGE)]);
    const warm = Array.from({ length: WARM }, (_, i) => spawnWriter(i));
    for (let round = 0; round < KILLS; round += 1) {
      const child = warm.shift()!;
      warm.push(spawnWriter(round + WARM));
      const next = round * RANGE;
      await child.waitForLine(/^ready$/);
      child.process.stdin?.write('go\n');
      await sleep(randomInt(5, 150));
      child.process.kill('SIGKILL');
      const { signal } = await child.exited;
      expect(signal, `writer exited on its own: ${child.stderr()}`).toBe('SIGKILL');
      const fresh = child.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
      acked.push(...fresh);
      const last = acked.at(-1) ?? -1;
      // The newest write that may have committed: the one after this round's last ack (or its first write).
      const maxCommitted = (fresh.at(-1) ?? next - 1) + 1;
      await withStore(db, key, async (store) => {
        // Every write acknowledged in this round, plus a sample of older ones (all of them are checked at the end).
        const sample = [
          ...fresh,
          ...Array.from({ length: 5 }, () => acked[randomInt(0, Math.max(1, acked.length))]),
        ];
        for (const n of sample) {
          if (n === undefined) continue;
          expect((await store.get(`crash/dev/k${n}`)).value).toBe(value(n));
        }
        if (last >= 0) {
          // The shared secret holds a whole value no older than the last ack and no newer than any issued write.
          const latest = (await store.get('crash/dev/latest')).value as string;
          const m = Number(/^value-(\d+)-/.exec(latest)?.[1]);
          expect(latest).toBe(value(m));
          expect(m).toBeGreaterThanOrEqual(last);
          expect(m).toBeLessThanOrEqual(maxCommitted);
        }
      });
    }
    for (const child of warm) child.process.kill('SIGKILL');
    await Promise.all(warm.map((c) => c.exited));
    expect(acked.length).toBeGreaterThanOrEqual(KILLS);
    await withStore(db, key, async (store) => {
      for (const n of acked) expect((await store.get(`crash/dev/k${n}`)).value).toBe(value(n));
    });
  }, 180_000); // 59 Node processes that each load the store: minutes on a loaded 2-core machine
});

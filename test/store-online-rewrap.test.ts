import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyFileSeal } from '../src/seal/index.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore } from '../src/store/index.js';
import { spawnNodeScript } from './support/child-process.js';
import { REPO_ROOT } from './support/compiled.js';
import { assertCompiledCli, hushIn } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const WRITER = join(REPO_ROOT, 'test/support/store-crash-writer.mjs');
/** Same formula as the writer's. */
const value = (n: number) => `value-${n}-${'x'.repeat(n % 300)}-end`;

let dir: string;
beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('online-rewrap');
});
afterAll(() => removeTempDir(dir));

describe('keys rotate is online: a writer keeps writing in another process meanwhile', () => {
  it('every acknowledged write reads back after three rotations with rewrap and prune', async () => {
    const hush = hushIn(dir);
    expect((await hush(['init'])).code).toBe(0);
    const writer = spawnNodeScript(WRITER, [join(dir, 'hush.db'), join(dir, 'root.key'), '0']);
    await writer.waitForLine(/^ready$/);
    writer.process.stdin?.write('go\n');
    await writer.waitForLine(/^ack 5$/);
    const rotations = [];
    for (let i = 0; i < 3; i += 1) {
      const run = await hush(['keys', 'rotate', 'crash/dev', '--json', ...(i === 2 ? ['--prune'] : [])]);
      expect(run.code, run.stderr).toBe(0);
      rotations.push(
        JSON.parse(run.stdout) as { keyring: { current: number }; rewrap: { rewrapped: number } },
      );
    }
    writer.process.kill('SIGKILL');
    await writer.exited;
    expect(rotations.map((r) => r.keyring.current)).toEqual([2, 3, 4]);
    expect(rotations.every((r) => r.rewrap.rewrapped > 0)).toBe(true);
    const acked = writer.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
    expect(acked.length).toBeGreaterThan(5);
    const store = createStore({
      backend: await openSqliteBackend({ path: join(dir, 'hush.db') }),
      seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
    });
    try {
      await store.unseal();
      for (const n of acked) expect((await store.get(`crash/dev/k${n}`)).value).toBe(value(n));
      // A write that read the keyring just before a rotation commits under the previous KEK version after the
      // rewrap pass listed its secret (at most one in-flight write per rotation); a rewrap run later moves it.
      const final = await store.rewrap('crash/dev');
      expect(final.rewrapped).toBeLessThanOrEqual(3);
      const settled = await store.rewrap('crash/dev', { prune: true });
      expect(settled.rewrapped).toBe(0);
      expect(settled.keyring.versions.map((v) => v.version)).toEqual([4]);
      for (const n of acked) expect((await store.get(`crash/dev/k${n}`)).value).toBe(value(n));
    } finally {
      await store.close();
    }
  });
});

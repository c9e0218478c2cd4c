import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHushError } from '../src/core/errors/hush-error.js';
import { migrateBackends, restoreSnapshot, saveSnapshot, type UnsealRoot } from '../src/operator/index.js';
import { rootKeyFromSealRow } from '../src/operator/root-key.js';
import { digestBackend } from '../src/operator/snapshot-check.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import type { StorageBackend } from '../src/storage/backend.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { buildFixtureStore, expectFixtureReadable, type VersionValues } from './operator-fixture.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

/** Snapshot restore streams: it holds a bounded batch, never the file, and touches nothing until the file checks. */

let root: string;
let dataDir: string;
let fixture: { secrets: VersionValues; tokens: readonly string[] };
let bigSnap: string;
let bigRows: number;
const open: StorageBackend[] = [];

const keyFile = () => join(dataDir, 'root.key');
const unsealRoot: UnsealRoot = (sealRow) =>
  rootKeyFromSealRow(sealRow, new KeyFileSeal({ path: keyFile() }), {});
const sqlite = async (name: string) => {
  const b = await openSqliteBackend({ path: join(root, name, 'hush.db') });
  open.push(b);
  return b;
};

beforeAll(async () => {
  root = await makeTempDir('snap-stream');
  dataDir = join(root, 'store');
  fixture = await buildFixtureStore(dataDir);
  // The fixture plus 600 raw rows of 4 KiB: a 2.4 MB snapshot (the rows are opaque bytes, as storage sees them).
  const source = await openSqliteBackend({ path: join(dataDir, 'hush.db') });
  const ops = Array.from({ length: 600 }, (_, i) => ({
    op: 'put' as const,
    key: `data/bulk/e/row-${String(i).padStart(4, '0')}#1`,
    value: Buffer.alloc(4096, i % 251),
  }));
  await source.batch(ops);
  bigSnap = join(root, 'big.snap');
  bigRows = (await saveSnapshot({ source, file: bigSnap, unsealRoot, chunkBytes: 64 << 10 })).rows;
  await source.close();
}, 60_000);
afterAll(async () => {
  for (const b of open.splice(0)) await b.close();
  await removeTempDir(root);
});

describe('streaming snapshot restore', () => {
  it('restores a snapshot many times larger than its batch bound, never holding more than the bound', async () => {
    const bound = 64 << 10;
    expect((await readFile(bigSnap)).length).toBeGreaterThan(20 * bound);
    const target = await sqlite('bounded');
    const result = await restoreSnapshot({
      file: bigSnap,
      target,
      unsealRoot,
      label: 't',
      maxBatchBytes: bound,
    });
    expect(result.target.rows).toBe(bigRows);
    // The buffer high-water mark: at most the bound (no single row here is larger than it).
    expect(result.largestBatchBytes).toBeLessThanOrEqual(bound);
    expect(result.batches).toBeGreaterThan(30);
    await expectFixtureReadable(target, keyFile(), fixture);
  });

  it('a truncated or tampered file is refused with a code and leaves a forced, non-empty target untouched', async () => {
    const bytes = await readFile(bigSnap);
    const truncated = join(root, 'truncated.snap');
    await writeFile(truncated, bytes.subarray(0, bytes.length - 300));
    const tampered = join(root, 'tampered.snap');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 5_000]! ^= 0x01;
    await writeFile(tampered, flipped);

    const target = await sqlite('kept');
    await target.batch([
      { op: 'put', key: 'data/keep/e/a#1', value: Buffer.from('one') },
      { op: 'put', key: 'data/keep/e/b#1', value: Buffer.from('two') },
    ]);
    const before = await digestBackend(target);
    for (const file of [truncated, tampered]) {
      let caught: unknown;
      try {
        await restoreSnapshot({ file, target, unsealRoot, label: 't', force: true, maxBatchBytes: 4096 });
      } catch (err) {
        caught = err;
      }
      expect(isHushError(caught, 'HUSH_E_INTEGRITY'), String(caught)).toBe(true);
      expect((caught as Error).message).not.toContain('\n');
      expect(await digestBackend(target)).toEqual(before);
    }
    // The same target then takes the good file, replacing its two rows.
    const result = await restoreSnapshot({ file: bigSnap, target, unsealRoot, label: 't', force: true });
    expect(result.removed).toBe(2);
    expect(result.target.rows).toBe(bigRows);
  });
  it('a restore interrupted mid-way leaves a target that no save or migration takes as a whole store', async () => {
    const target = await sqlite('interrupted');
    // The connection to the target drops after a few batches (a fault injected in front of a real SQLite file).
    let batches = 0;
    const dropping: StorageBackend = Object.create(target, {
      batch: {
        value: (ops: Parameters<StorageBackend['batch']>[0]) => {
          batches += 1;
          if (batches > 4) return Promise.reject(new Error('connection lost'));
          return target.batch(ops);
        },
      },
    });
    await expect(
      restoreSnapshot({ file: bigSnap, target: dropping, unsealRoot, label: 't', maxBatchBytes: 16 << 10 }),
    ).rejects.toThrow('connection lost');
    expect((await target.list('')).keys.length).toBeGreaterThan(0);
    // Partial rows must not become a "valid" snapshot or migration source.
    const refused = async (run: () => Promise<unknown>) => {
      let caught: unknown;
      try {
        await run();
      } catch (err) {
        caught = err;
      }
      expect(isHushError(caught, 'HUSH_E_USAGE'), String(caught)).toBe(true);
      expect((caught as Error).message).toContain('unfinished snapshot restore');
    };
    const other = await sqlite('from-partial');
    await refused(() =>
      migrateBackends({ source: target, target: other, labels: { from: 'p', to: 'o' }, sourceLocation: 'p' }),
    );
    await refused(() => saveSnapshot({ source: target, file: join(root, 'partial.snap'), unsealRoot }));
    // Rerunning the restore with --force finishes it, and the mark is gone.
    const result = await restoreSnapshot({ file: bigSnap, target, unsealRoot, label: 't', force: true });
    expect(result.target.rows).toBe(bigRows);
    expect((await saveSnapshot({ source: target, file: join(root, 'whole.snap'), unsealRoot })).rows).toBe(
      bigRows,
    );
  });
});

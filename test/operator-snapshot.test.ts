import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot, restoreSnapshot, saveSnapshot, type UnsealRoot } from '../src/operator/index.js';
import { rootKeyFromSealRow } from '../src/operator/root-key.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { buildFixtureStore, expectFixtureReadable, type VersionValues } from './operator-fixture.js';
import { assertCompiledCli, hushIn, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let root: string;
let dataDir: string;
let snap: string;
let fixture: { secrets: VersionValues; tokens: readonly string[] };

beforeAll(async () => {
  assertCompiledCli();
  root = await makeTempDir('snapshot');
  dataDir = join(root, 'store');
  fixture = await buildFixtureStore(dataDir);
  snap = join(root, 'backup.snap');
});
afterAll(() => removeTempDir(root));

const keyFile = () => join(dataDir, 'root.key');
const unsealWith =
  (file: string): UnsealRoot =>
  (sealRow) =>
    rootKeyFromSealRow(sealRow, new KeyFileSeal({ path: file }), {});

/** The file with `edit` applied, written beside it; returns the new path. */
async function variant(name: string, edit: (bytes: Buffer) => Buffer): Promise<string> {
  const path = join(root, name);
  await writeFile(path, edit(await readFile(snap)));
  return path;
}

/** Offsets of each chunk's length prefix (after magic, header and wrapped key). */
function chunkOffsets(bytes: Buffer): number[] {
  let at = 8;
  at += 4 + bytes.readUInt32BE(at);
  at += 4 + bytes.readUInt32BE(at);
  const offsets: number[] = [];
  while (at < bytes.length) {
    offsets.push(at);
    at += 4 + bytes.readUInt32BE(at);
  }
  return offsets;
}

describe('hush operator snapshot (real CLI, SQLite store with secrets, versions and tokens)', () => {
  it('save writes one 0600 file holding no secret value and no path, then verify checks it', async () => {
    const hush = hushIn(dataDir);
    const save = await hush(['operator', 'snapshot', 'save', '--file', snap, '--json']);
    expect(save.code).toBe(0);
    const saved = JSON.parse(save.stdout);
    expect(saved).toMatchObject({ saved: true, file: snap });
    expect(saved.rows).toBeGreaterThan(40);
    expect((await stat(snap)).mode & 0o777).toBe(0o600);
    expect((await readdir(root)).filter((n) => n.includes('.tmp-'))).toEqual([]);

    const bytes = await readFile(snap);
    const text = bytes.toString('latin1');
    for (const [path, values] of fixture.secrets) {
      expect(text).not.toContain(path);
      for (const v of values) expect(text).not.toContain(v);
    }
    for (const needle of ['payments', 'data/', 'meta/', 'auth/', 'sys/keyring', ...fixture.tokens]) {
      expect(text).not.toContain(needle);
      expect(text).not.toContain(Buffer.from(needle).toString('base64').slice(0, 8));
    }

    const verify = await hush(['operator', 'snapshot', 'verify', '--file', snap, '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      verified: true,
      rows: saved.rows,
      sha256: saved.sha256,
      chunks: 2,
    });

    const again = await hush(['operator', 'snapshot', 'save', '--file', snap]);
    expect(again.code).toBe(4);
    expect(oneLineError(again)).toMatch(
      /already exists; choose another --file or pass --force to replace it \[HUSH_E_ALREADY_EXISTS\]$/,
    );
  });

  it('restore into a fresh data dir with only the original key file: every secret and token reads back', async () => {
    const fresh = join(root, 'fresh-machine');
    const restore = await runHush([
      'operator',
      'snapshot',
      'restore',
      '--file',
      snap,
      '--data-dir',
      fresh,
      '--key-file',
      keyFile(),
      '--json',
    ]);
    expect(restore.code).toBe(0);
    const out = JSON.parse(restore.stdout);
    expect(out.target).toEqual({ rows: out.snapshot.rows, sha256: out.snapshot.sha256 });
    // The CLI reads it back too, with the key file kept elsewhere.
    const [path, values] = [...fixture.secrets][3]!;
    const get = await runHush(['get', path, '--data-dir', fresh, '--key-file', keyFile()]);
    expect(get.stdout).toBe(`${values.at(-1)}\n`);
    const backend = await openSqliteBackend({ path: join(fresh, 'hush.db') });
    try {
      await expectFixtureReadable(backend, keyFile(), fixture);
    } finally {
      await backend.close();
    }

    const refused = await runHush([
      'operator',
      'snapshot',
      'restore',
      '--file',
      snap,
      '--data-dir',
      fresh,
      '--key-file',
      keyFile(),
    ]);
    expect(refused.code).toBe(4);
    expect(oneLineError(refused)).toMatch(
      /is not empty \(\d+ rows\); .*pass --force to replace its rows .*\[HUSH_E_ALREADY_EXISTS\]$/,
    );
    const forced = await runHush([
      'operator',
      'snapshot',
      'restore',
      '--file',
      snap,
      '--data-dir',
      fresh,
      '--key-file',
      keyFile(),
      '--force',
    ]);
    expect(forced.code).toBe(0);
  });

  it('wrong unseal material is HUSH_E_UNSEAL_FAILED and writes nothing', async () => {
    const other = join(root, 'other-store');
    await buildFixtureStore(other);
    const target = join(root, 'never-written');
    const run = await runHush([
      'operator',
      'snapshot',
      'restore',
      '--file',
      snap,
      '--data-dir',
      target,
      '--key-file',
      join(other, 'root.key'),
    ]);
    expect(run.code).toBe(6);
    expect(oneLineError(run)).toMatch(/not the key this store was sealed with.*\[HUSH_E_UNSEAL_FAILED\]$/);
    const verify = await runHush([
      'operator',
      'snapshot',
      'verify',
      '--file',
      snap,
      '--key-file',
      join(other, 'root.key'),
    ]);
    expect(verify.code).toBe(6);
    // The material is checked before the target is opened: not even an empty database is left behind.
    await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a tampered, truncated or extended file fails verify with one line naming the chunk', async () => {
    const bytes = await readFile(snap);
    const [first, final] = chunkOffsets(bytes);
    const cases: [string, (b: Buffer) => Buffer, RegExp][] = [
      [
        'flip.snap',
        (b) => {
          const c = Buffer.from(b);
          c[first! + 40]! ^= 1;
          return c;
        },
        /chunk 1 .*failed its integrity check/,
      ],
      [
        'cut-final.snap',
        (b) => b.subarray(0, final),
        /truncated: it ends after chunk 1 without its final chunk/,
      ],
      ['cut-middle.snap', (b) => b.subarray(0, first! + 100), /truncated: it ends inside chunk 1/],
      [
        'extra.snap',
        (b) => Buffer.concat([b, Buffer.from('x')]),
        /1 unexpected bytes after its final chunk 2/,
      ],
      [
        'header.snap',
        (b) => Buffer.from(b.toString('latin1').replace('"createdAt":"2', '"createdAt":"3'), 'latin1'),
        /header and key of snapshot .*failed its integrity check/,
      ],
      ['not-a-snapshot.snap', () => Buffer.from('hello'), /is not a Hush snapshot/],
    ];
    for (const [name, edit, pattern] of cases) {
      const file = await variant(name, edit);
      const run = await runHush(['operator', 'snapshot', 'verify', '--file', file, '--key-file', keyFile()]);
      expect(run.code, name).not.toBe(0);
      expect(oneLineError(run), name).toMatch(pattern);
    }
  });
});

describe('snapshot of a shamir-sealed store (real CLI)', () => {
  async function shamirStore(name: string) {
    const dir = join(root, name);
    const init = await runHush([
      'init',
      '--seal',
      'shamir',
      '--shares',
      '3',
      '--threshold',
      '2',
      '--data-dir',
      dir,
    ]);
    expect(init.code).toBe(0);
    const shares = [...init.stdout.matchAll(/share \d: (\S+)/g)].map((m) => m[1]!);
    const sharesFile = join(root, `${name}-shares.txt`);
    await writeFile(sharesFile, `${shares[0]}\n${shares[2]}\n`, { mode: 0o600 });
    return { dir, sharesFile };
  }

  it('restores on a fresh data dir with two of the original shares; shares of another store are refused', async () => {
    const a = await shamirStore('shamir-a');
    const put = await runHush(
      ['put', 'team/dev/api-key', '--data-dir', a.dir, '--shares-file', a.sharesFile],
      {
        input: 'shamir-secret-value-77',
      },
    );
    expect(put.code).toBe(0);
    const file = join(root, 'shamir.snap');
    const save = await runHush([
      'operator',
      'snapshot',
      'save',
      '--file',
      file,
      '--data-dir',
      a.dir,
      '--shares-file',
      a.sharesFile,
    ]);
    expect(save.code).toBe(0);
    expect((await readFile(file)).toString('latin1')).not.toContain('shamir-secret-value-77');

    const b = await shamirStore('shamir-b');
    const fresh = join(root, 'shamir-fresh');
    const wrong = await runHush([
      'operator',
      'snapshot',
      'restore',
      '--file',
      file,
      '--data-dir',
      fresh,
      '--shares-file',
      b.sharesFile,
    ]);
    expect(wrong.code).toBe(6);
    expect(oneLineError(wrong)).toMatch(/\[HUSH_E_UNSEAL_FAILED\]$/);
    const none = await runHush(['operator', 'snapshot', 'verify', '--file', file, '--data-dir', fresh]);
    expect(oneLineError(none)).toMatch(/\[HUSH_E_UNSEAL_FAILED\]$/);

    const restore = await runHush(['operator', 'snapshot', 'restore', '--file', file, '--data-dir', fresh], {
      env: { HUSH_UNSEAL_SHARES_FILE: a.sharesFile },
    });
    expect(restore.code).toBe(0);
    const get = await runHush([
      'get',
      'team/dev/api-key',
      '--data-dir',
      fresh,
      '--shares-file',
      a.sharesFile,
    ]);
    expect(get.stdout).toBe('shamir-secret-value-77\n');
  });
});

describe('snapshot chunks (in process, small chunks)', () => {
  it('reordered or dropped chunks are named; a good multi-chunk file restores every row', async () => {
    const source = await openSqliteBackend({ path: join(dataDir, 'hush.db') });
    const file = join(root, 'small-chunks.snap');
    try {
      const saved = await saveSnapshot({ source, file, unsealRoot: unsealWith(keyFile()), chunkBytes: 512 });
      expect(saved.chunks).toBeGreaterThan(5);
      const bytes = await readFile(file);
      const offs = chunkOffsets(bytes);
      const [c1, c2, c3] = [offs[0]!, offs[1]!, offs[2]!];
      const swapped = Buffer.concat([
        bytes.subarray(0, c1),
        bytes.subarray(c2, c3),
        bytes.subarray(c1, c2),
        bytes.subarray(c3),
      ]);
      await writeFile(join(root, 'swapped.snap'), swapped);
      await expect(readSnapshot(join(root, 'swapped.snap'), unsealWith(keyFile()))).rejects.toThrow(
        /chunk 1 \(changed, moved/,
      );
      const dropped = Buffer.concat([bytes.subarray(0, c2), bytes.subarray(c3)]);
      await writeFile(join(root, 'dropped.snap'), dropped);
      await expect(readSnapshot(join(root, 'dropped.snap'), unsealWith(keyFile()))).rejects.toThrow(
        /chunk 2 \(changed, moved/,
      );

      const target = await openSqliteBackend({ path: join(root, 'restored-small', 'hush.db') });
      try {
        const restored = await restoreSnapshot({
          file,
          target,
          unsealRoot: unsealWith(keyFile()),
          label: 'sqlite:t',
        });
        expect(restored.target).toEqual({ rows: saved.rows, sha256: saved.sha256 });
        await expectFixtureReadable(target, keyFile(), fixture);
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  });

  it('a source written to during the save fails, leaving no file (and no temp file) behind', async () => {
    const source = await openSqliteBackend({ path: join(dataDir, 'hush.db') });
    const writer = await openSqliteBackend({ path: join(dataDir, 'hush.db') });
    const file = join(root, 'moving.snap');
    let stop = false;
    let n = 0;
    const loop = async () => {
      while (!stop) {
        await writer.put(`zz/writer-${n++}`, Buffer.from('x'));
        await new Promise((r) => setImmediate(r));
      }
    };
    try {
      const running = loop();
      const err = await saveSnapshot({
        source,
        file,
        unsealRoot: unsealWith(keyFile()),
        chunkBytes: 256,
      }).catch((e: unknown) => e);
      stop = true;
      await running;
      expect(err).toMatchObject({ code: 'HUSH_E_INTEGRITY' });
      expect((err as Error).message).toMatch(
        /source changed while the snapshot was taken.*stop every writer/,
      );
      expect((await readdir(root)).filter((f) => f.includes('moving'))).toEqual([]);
      for (let i = 0; i < n; i++) await writer.delete(`zz/writer-${i}`);
    } finally {
      await writer.close();
      await source.close();
    }
  });
});

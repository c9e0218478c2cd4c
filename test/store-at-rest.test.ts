import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyFileSeal } from '../src/seal/index.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore } from '../src/store/index.js';
import { assertCompiledCli, hushIn } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const tag = (label: string) => `${label}-${randomBytes(8).toString('hex')}`;

/** Every needle that occurs in any of the files (as raw bytes). */
async function hits(files: readonly string[], needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    for (const n of needles) if (bytes.includes(Buffer.from(n, 'utf8'))) found.push(`${n} in ${file}`);
  }
  return found;
}

let dir: string;
beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('at-rest');
});
afterAll(() => removeTempDir(dir));

describe('at rest: the SQLite files hold no plaintext values, descriptions or tags', () => {
  it('after CLI writes (put, fields, import, rollback, mv, rotations), hush.db and -wal contain none of them', async () => {
    const hush = hushIn(dir);
    expect((await hush(['init'])).code).toBe(0);
    const needles: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const [value, description, tagName, tagValue] = [tag('val'), tag('desc'), tag('tname'), tag('tval')];
      needles.push(value, description, tagName, tagValue);
      const run = await hush(
        ['put', `rest/dev/s${i}`, '--description', description, '--tag', `${tagName}=${tagValue}`],
        { input: value },
      );
      expect(run.code).toBe(0);
    }
    const [fieldA, fieldB] = [tag('fielda'), tag('fieldb')];
    needles.push(fieldA, fieldB);
    expect((await hush(['put', 'rest/dev/obj', `user=${fieldA}`, `password=${fieldB}`])).code).toBe(0);
    const doc = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`KEY_${i}`, tag('imported')]));
    needles.push(...Object.values(doc));
    expect(
      (await hush(['import', 'rest/prod', '--format', 'json'], { input: JSON.stringify(doc) })).code,
    ).toBe(0);
    expect((await hush(['rollback', 'rest/dev/s0', '--to', '1'])).code).toBe(0);
    expect((await hush(['mv', 'rest/dev/s1', 'rest/dev/moved'])).code).toBe(0);
    expect((await hush(['keys', 'rotate', 'rest/dev'])).code).toBe(0);
    expect((await hush(['operator', 'rotate-root'])).code).toBe(0);
    // Sanity: the needles are really stored (readable through the store) ...
    expect((await hush(['get', 'rest/prod/KEY_3'])).stdout).toBe(`${doc['KEY_3']}\n`);
    // ... and the search itself works on these files.
    const dbFiles = (await readdir(dir)).filter((f) => f.startsWith('hush.db')).map((f) => join(dir, f));
    expect(dbFiles).toContain(join(dir, 'hush.db'));
    expect(await hits(dbFiles, ['rest/dev/moved', 'sys/seal'])).toHaveLength(2);
    expect(await hits(dbFiles, needles)).toEqual([]);
  });

  it('while a writer still has the database open (data in hush.db-wal), the -wal holds no plaintext either', async () => {
    const db = join(dir, 'hush.db');
    const store = createStore({
      backend: await openSqliteBackend({ path: db }),
      seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
    });
    const needles: string[] = [];
    try {
      await store.unseal();
      for (let i = 0; i < 20; i += 1) {
        const [value, description, tagName, tagValue] = [
          tag('walval'),
          tag('waldesc'),
          tag('waltn'),
          tag('waltv'),
        ];
        needles.push(value, description, tagName, tagValue);
        await store.put(`wal/dev/s${i}`, value, {
          actor: 'test',
          description,
          tags: { [tagName]: tagValue },
        });
      }
      const wal = `${db}-wal`;
      expect((await stat(wal)).size).toBeGreaterThan(0);
      expect(await hits([wal], ['wal/dev/s7'])).toHaveLength(1);
      expect(await hits([db, wal], needles)).toEqual([]);
    } finally {
      await store.close();
    }
    expect(await hits([db], needles)).toEqual([]);
  });
});

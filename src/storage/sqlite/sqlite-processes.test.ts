import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnNodeScript, unprivilegedIds } from '../../../test/support/child-process.js';
import { assertCompiledBackend, REPO_ROOT } from '../../../test/support/compiled.js';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.js';
import { openSqliteBackend } from './sqlite-backend.js';

const INCREMENTER = join(REPO_ROOT, 'test/support/cas-incrementer.mjs');
const OPENER = join(REPO_ROOT, 'test/support/open-sqlite.mjs');

/** Open the store at `path` in a child process as an unprivileged user; returns its one-line JSON outcome. */
async function openAsUnprivileged(
  path: string,
): Promise<{ ok: boolean; hush?: boolean; code?: string; message?: string }> {
  const child = spawnNodeScript(OPENER, [path], unprivilegedIds());
  const { code } = await child.exited;
  expect(code, child.stderr()).toBe(0);
  return JSON.parse(child.lines[0] ?? '{}');
}

describe('SqliteBackend across real processes', () => {
  let dir: string;
  beforeAll(() => assertCompiledBackend());
  beforeEach(async () => {
    dir = await makeTempDir('sqlite-proc');
    // Let an unprivileged child traverse into the test directory.
    await chmod(dir, 0o755);
  });
  afterEach(() => removeTempDir(dir));

  it('two processes doing read-then-CAS increments lose no update', async () => {
    const path = join(dir, 'hush.db');
    const perChild = 150;
    const children = [0, 1].map(() => spawnNodeScript(INCREMENTER, [path, String(perChild)]));
    await Promise.all(children.map((c) => c.waitForLine(/^ready$/)));
    for (const c of children) c.process.stdin?.write('go\n');
    const exits = await Promise.all(children.map((c) => c.exited));
    exits.forEach((e, i) => {
      expect(e.code, children[i]!.stderr()).toBe(0);
    });
    const acked = children.flatMap((c) =>
      c.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4))),
    );
    expect(acked).toHaveLength(2 * perChild);
    // Every acknowledged increment produced a distinct value: no two writers both won at the same revision.
    expect(new Set(acked).size).toBe(2 * perChild);
    const backend = await openSqliteBackend({ path });
    expect(await backend.get('counter')).toMatchObject({
      value: Buffer.from(String(2 * perChild)),
      revision: 2 * perChild,
    });
    await backend.close();
  });

  it('lets several processes create and migrate one new file at the same time', async () => {
    const path = join(dir, 'fresh', 'hush.db');
    const children = Array.from({ length: 4 }, () => spawnNodeScript(OPENER, [path]));
    const outcomes = await Promise.all(
      children.map(async (c) => {
        await c.exited;
        return JSON.parse(c.lines[0] ?? '{}') as { ok: boolean };
      }),
    );
    expect(outcomes).toEqual(Array.from({ length: 4 }, () => ({ ok: true })));
    const backend = await openSqliteBackend({ path });
    expect(await backend.get('k')).toMatchObject({ revision: 4 });
    await backend.close();
  });

  it('reports a directory the user cannot write as HUSH_E_STORAGE naming the path', async () => {
    const readOnly = join(dir, 'read-only');
    await mkdir(readOnly);
    await chmod(readOnly, 0o555);
    const path = join(readOnly, 'hush.db');
    const outcome = await openAsUnprivileged(path);
    expect(outcome).toMatchObject({ ok: false, hush: true, code: 'HUSH_E_STORAGE' });
    expect(outcome.message).toBe(
      `permission denied (EACCES) while opening ${path}; make the file and its directory writable by this user`,
    );
  });

  it('reports a missing directory it cannot create as HUSH_E_STORAGE', async () => {
    await chmod(dir, 0o555);
    const path = join(dir, 'missing', 'hush.db');
    const outcome = await openAsUnprivileged(path);
    expect(outcome).toMatchObject({ ok: false, hush: true, code: 'HUSH_E_STORAGE' });
    expect(outcome.message).toContain(`while creating the directory for ${path}`);
  });

  it('reports a database file owned by someone else as HUSH_E_STORAGE', async () => {
    const path = join(dir, 'hush.db');
    await (await openSqliteBackend({ path })).close();
    await chmod(path, 0o400);
    const outcome = await openAsUnprivileged(path);
    expect(outcome).toMatchObject({ ok: false, hush: true, code: 'HUSH_E_STORAGE' });
    expect(outcome.message).toContain(path);
  });
});

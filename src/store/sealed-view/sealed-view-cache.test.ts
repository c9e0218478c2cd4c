import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withReadCache } from '../../storage/cache/read-cache-backend.js';
import { openSqliteBackend, type SqliteBackend } from '../../storage/sqlite/sqlite-backend.js';
import type { SealedSubkeys, SubkeySource } from './sealed-subkeys.js';
import { createSealedView, type ViewBackend } from './sealed-view.js';

const viewOf = (backend: ViewBackend, keys: SubkeySource) =>
  createSealedView(backend, keys, { name: 'test', prefixes: ['auth/', 'sys/policy/'] });

const subkeys = (fill: number): SealedSubkeys => ({
  lookup: Buffer.alloc(32, fill),
  record: Buffer.alloc(32, fill + 1),
});

/** Fixed keys whose object can be swapped, as the barrier hands out a new one when the keyring changes. */
function keysOf(initial: SealedSubkeys): SubkeySource & { current: SealedSubkeys | undefined } {
  const k = {
    current: initial as SealedSubkeys | undefined,
    async subkeys() {
      if (!k.current) throw new Error('sealed');
      return k.current;
    },
    peek: () => k.current,
    wipe() {
      k.current = undefined;
    },
  };
  return k;
}

describe('sealed view cache (keys swapped by hand)', () => {
  let dir: string;
  let backend: SqliteBackend;
  afterEach(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });
  async function open() {
    dir = mkdtempSync(join(tmpdir(), 'hush-records-'));
    backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
    return backend;
  }

  it('serves a changed, deleted or foreign-written row fresh on the very next read', async () => {
    const b = await open();
    const keys = keysOf(subkeys(1));
    const mine = viewOf(b, keys);
    const other = viewOf(b, keysOf(subkeys(1))); // another process writing the same rows
    await mine.batch([{ op: 'put', key: 'auth/token/a', value: { uses: 3 } }]);
    const first = await mine.get<{ uses: number }>('auth/token/a');
    expect(await mine.get('auth/token/a')).toEqual(first);
    await other.batch([
      { op: 'put', key: 'auth/token/a', value: { uses: 2 }, expectedRevision: first!.revision },
    ]);
    expect((await mine.get<{ uses: number }>('auth/token/a'))?.value).toEqual({ uses: 2 });
    await other.batch([{ op: 'delete', key: 'auth/token/a' }]);
    expect(await mine.get('auth/token/a')).toBeUndefined();
  });

  it('hands out frozen records and never reuses plaintext across a key change or a seal', async () => {
    const b = await open();
    const keys = keysOf(subkeys(1));
    const view = viewOf(b, keys);
    await view.batch([{ op: 'put', key: 'sys/policy/p', value: { rules: [{ path: 'a' }] } }]);
    const got = await view.get<{ rules: { path: string }[] }>('sys/policy/p');
    expect(Object.isFrozen(got?.value.rules[0])).toBe(true);
    keys.current = subkeys(9); // same bytes, other key: must be opened again, and fail
    await expect(view.get('sys/policy/p')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
    keys.wipe();
    await expect(view.get('sys/policy/p')).rejects.toThrow('sealed');
    keys.current = subkeys(1);
    expect((await view.get('sys/policy/p'))?.value).toEqual({ rules: [{ path: 'a' }] });
  });

  it('peeks a record synchronously only while row, keys and plaintext are all current', async () => {
    const b = await open();
    const keys = keysOf(subkeys(1));
    const view = viewOf(withReadCache(b), keys);
    const second = await openSqliteBackend({ path: join(dir, 'hush.db') }); // another process's connection
    const other = viewOf(second, keysOf(subkeys(1)));
    await view.batch([{ op: 'put', key: 'auth/token/a', value: { uses: 3 } }]);
    expect(view.peek('auth/token/a')).toBeUndefined(); // nothing opened yet
    const got = await view.get<{ uses: number }>('auth/token/a');
    expect(view.peek('auth/token/a')).toEqual(got);
    expect(view.peekLookupId('hush_s_x')).toBe(await view.lookupId('hush_s_x'));
    await other.batch([{ op: 'put', key: 'auth/token/a', value: { uses: 1 } }]);
    await new Promise((resolve) => setImmediate(resolve)); // the read cache re-checks the file once per turn
    expect(view.peek('auth/token/a')).toBeUndefined();
    expect((await view.get<{ uses: number }>('auth/token/a'))?.value).toEqual({ uses: 1 });
    expect(view.peek<{ uses: number }>('auth/token/a')?.value).toEqual({ uses: 1 });
    keys.current = subkeys(9); // the keyring changed: no plaintext opened under the old keys is handed out
    expect(view.peek('auth/token/a')).toBeUndefined();
    keys.wipe();
    expect(view.peek('auth/token/a')).toBeUndefined();
    expect(view.peekLookupId('hush_s_x')).toBeUndefined();
    keys.current = subkeys(1);
    await view.batch([{ op: 'delete', key: 'auth/token/a' }]);
    expect(await view.get('auth/token/a')).toBeUndefined();
    expect(view.peek('auth/token/a')).toBeNull();
    await second.close();
  });
});

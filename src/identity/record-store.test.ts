import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withReadCache } from '../storage/cache/read-cache-backend.js';
import { openSqliteBackend, type SqliteBackend } from '../storage/sqlite/sqlite-backend.js';
import type { IdentityKeys, IdentitySubkeys } from './identity-keys.js';
import { createRecordStore } from './record-store.js';

const subkeys = (fill: number): IdentitySubkeys => ({
  lookup: Buffer.alloc(32, fill),
  record: Buffer.alloc(32, fill + 1),
});

/** Fixed keys whose object can be swapped, as the barrier hands out a new one when the keyring changes. */
function keysOf(initial: IdentitySubkeys): IdentityKeys & { current: IdentitySubkeys | undefined } {
  const k = {
    current: initial as IdentitySubkeys | undefined,
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

describe('record store cache', () => {
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
    const mine = createRecordStore(b, keys);
    const other = createRecordStore(b, keysOf(subkeys(1))); // another process writing the same rows
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
    const records = createRecordStore(b, keys);
    await records.batch([{ op: 'put', key: 'sys/policy/p', value: { rules: [{ path: 'a' }] } }]);
    const got = await records.get<{ rules: { path: string }[] }>('sys/policy/p');
    expect(Object.isFrozen(got?.value.rules[0])).toBe(true);
    keys.current = subkeys(9); // same bytes, other key: must be opened again, and fail
    await expect(records.get('sys/policy/p')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
    keys.wipe();
    await expect(records.get('sys/policy/p')).rejects.toThrow('sealed');
    keys.current = subkeys(1);
    expect((await records.get('sys/policy/p'))?.value).toEqual({ rules: [{ path: 'a' }] });
  });

  it('peeks a record synchronously only while row, keys and plaintext are all current', async () => {
    const b = await open();
    const keys = keysOf(subkeys(1));
    const records = createRecordStore(withReadCache(b), keys);
    const second = await openSqliteBackend({ path: join(dir, 'hush.db') }); // another process's connection
    const other = createRecordStore(second, keysOf(subkeys(1)));
    await records.batch([{ op: 'put', key: 'auth/token/a', value: { uses: 3 } }]);
    expect(records.peek('auth/token/a')).toBeUndefined(); // nothing opened yet
    const got = await records.get<{ uses: number }>('auth/token/a');
    expect(records.peek('auth/token/a')).toEqual(got);
    expect(records.peekLookupId('hush_s_x')).toBe(await records.lookupId('hush_s_x'));
    await other.batch([{ op: 'put', key: 'auth/token/a', value: { uses: 1 } }]);
    await new Promise((resolve) => setImmediate(resolve)); // the read cache re-checks the file once per turn
    expect(records.peek('auth/token/a')).toBeUndefined();
    expect((await records.get<{ uses: number }>('auth/token/a'))?.value).toEqual({ uses: 1 });
    expect(records.peek<{ uses: number }>('auth/token/a')?.value).toEqual({ uses: 1 });
    keys.current = subkeys(9); // the keyring changed: no plaintext opened under the old keys is handed out
    expect(records.peek('auth/token/a')).toBeUndefined();
    keys.wipe();
    expect(records.peek('auth/token/a')).toBeUndefined();
    expect(records.peekLookupId('hush_s_x')).toBeUndefined();
    keys.current = subkeys(1);
    await records.batch([{ op: 'delete', key: 'auth/token/a' }]);
    expect(await records.get('auth/token/a')).toBeUndefined();
    expect(records.peek('auth/token/a')).toBeNull();
    await second.close();
  });
});

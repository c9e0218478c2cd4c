import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
});

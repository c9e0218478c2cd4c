import { describe, expect, it } from 'vitest';
import { unsealedStores } from '../../test/support/test-store.js';

const unsealed = unsealedStores({ clock: () => new Date('2026-11-23T10:00:00Z') });
const actor = 'user:alice';

describe('put / get / versions', () => {
  it('writes versions and reads the latest or a given one, with metadata', async () => {
    const { store } = await unsealed();
    expect(await store.put('p/e/db', 'one', { actor, description: 'db pw', tags: { team: 'pay' } })).toEqual({
      path: 'p/e/db',
      version: 1,
      createdAt: '2026-11-23T10:00:00.000Z',
    });
    await store.put('p/e/db', { user: 'u', pass: 'two' }, { actor: 'user:bob', expiresAt: '2027-01-01' });
    expect(await store.get('p/e/db')).toEqual({
      path: 'p/e/db',
      version: 2,
      value: { user: 'u', pass: 'two' },
      createdAt: '2026-11-23T10:00:00.000Z',
      createdBy: 'user:bob',
      description: 'db pw',
      tags: { team: 'pay' },
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
    expect((await store.get('p/e/db', { version: 1 })).value).toBe('one');
    const info = await store.versions('p/e/db');
    expect(info).toMatchObject({ current: 2, createdBy: actor, updatedBy: 'user:bob' });
    expect(info.versions.map((v) => [v.version, v.state])).toEqual([
      [1, 'active'],
      [2, 'active'],
    ]);
    const updated = await store.updateMetadata('p/e/db', {
      actor,
      description: 'new',
      expiresAt: null,
      cas: 2,
    });
    expect(updated).toMatchObject({ description: 'new', current: 2 });
    expect(updated.expiresAt).toBeUndefined();
  });

  it('names the path on NOT_FOUND and rejects bad input with coded errors', async () => {
    const { store } = await unsealed();
    await expect(store.get('p/e/missing')).rejects.toMatchObject({
      code: 'HUSH_E_NOT_FOUND',
      message: expect.stringContaining('no secret at p/e/missing'),
    });
    await store.put('p/e/a', 'x', { actor });
    await expect(store.get('p/e/a', { version: 7 })).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
    await expect(store.put('p/e', 'x', { actor })).rejects.toMatchObject({ code: 'HUSH_E_INVALID_ADDRESS' });
    await expect(store.put('p/e/b', [1] as never, { actor })).rejects.toMatchObject({
      code: 'HUSH_E_INVALID_INPUT',
    });
    await expect(store.put('p/e/b', 'x', { actor, expiresAt: 'soon' })).rejects.toMatchObject({
      code: 'HUSH_E_INVALID_INPUT',
    });
  });

  it('enforces the value size limit', async () => {
    const { store } = await unsealed({ maxValueBytes: 10 });
    await expect(store.put('p/e/a', 'x'.repeat(11), { actor })).rejects.toMatchObject({
      code: 'HUSH_E_TOO_LARGE',
      messageId: 'STORE_VALUE_TOO_LARGE',
    });
    await expect(store.put('p/e/a', 'x'.repeat(11), { actor })).rejects.toThrow(
      /^value is 11 bytes; the limit is 10; keep larger data outside Hush/,
    );
  });
});

describe('check-and-set', () => {
  it('cas 0 creates only; a stale cas fails and leaves data unchanged', async () => {
    const { store, dump } = await unsealed();
    await store.put('p/e/a', 'v1', { actor, cas: 0 });
    await expect(store.put('p/e/a', 'v2', { actor, cas: 0 })).rejects.toMatchObject({
      code: 'HUSH_E_CAS_CONFLICT',
      message:
        'check-and-set failed for p/e/a: expected no secret yet (cas 0), found version 1; read it again and retry',
    });
    const before = await dump();
    await expect(store.put('p/e/a', 'v2', { actor, cas: 5 })).rejects.toMatchObject({
      code: 'HUSH_E_CAS_CONFLICT',
    });
    expect(await dump()).toEqual(before);
    expect((await store.get('p/e/a')).value).toBe('v1');
    await store.put('p/e/a', 'v2', { actor, cas: 1 });
    expect((await store.get('p/e/a')).version).toBe(2);
  });

  it('concurrent puts with the same cas: exactly one wins', async () => {
    const t = await unsealed();
    await t.store.put('p/e/a', 'v1', { actor });
    const other = await t.reopen();
    await other.unseal();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? other : t.store).put('p/e/a', `w${i}`, { actor, cas: 1 })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'HUSH_E_CAS_CONFLICT' });
    }
    expect(await t.store.versions('p/e/a')).toMatchObject({ current: 2 });
  });

  it('concurrent puts without cas lose no update', async () => {
    const { store } = await unsealed();
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.put('p/e/a', `w${i}`, { actor })));
    expect((await store.versions('p/e/a')).versions).toHaveLength(5);
  });
});

describe('version pruning', () => {
  it('keeps the last N versions and deletes older data rows', async () => {
    const { store, dump } = await unsealed({ maxVersions: 3 });
    for (let i = 1; i <= 5; i += 1) await store.put('p/e/a', `v${i}`, { actor });
    const info = await store.versions('p/e/a');
    expect(info.versions.map((v) => v.version)).toEqual([3, 4, 5]);
    const dataRows = [...(await dump()).keys()].filter((k) => k.startsWith('data/'));
    expect(dataRows.sort()).toEqual(['data/p/e/a#3', 'data/p/e/a#4', 'data/p/e/a#5']);
    await expect(store.get('p/e/a', { version: 1 })).rejects.toMatchObject({
      code: 'HUSH_E_NOT_FOUND',
      message: expect.stringContaining('versions 3..5 are kept'),
    });
  });
});

describe('delete / undelete / destroy / rollback', () => {
  it('soft-deletes and restores versions', async () => {
    const { store } = await unsealed();
    await store.put('p/e/a', 'v1', { actor });
    await store.put('p/e/a', 'v2', { actor });
    expect(await store.delete('p/e/a', { actor: 'user:bob' })).toEqual({ path: 'p/e/a', changed: [2] });
    expect((await store.versions('p/e/a')).versions[1]).toMatchObject({
      state: 'deleted',
      deletedBy: 'user:bob',
    });
    await expect(store.get('p/e/a')).rejects.toMatchObject({ code: 'HUSH_E_DELETED' });
    expect((await store.get('p/e/a', { version: 1 })).value).toBe('v1');
    expect(await store.delete('p/e/a', { actor, versions: [1, 2] })).toEqual({ path: 'p/e/a', changed: [1] });
    expect(await store.undelete('p/e/a', { actor, versions: [2] })).toEqual({ path: 'p/e/a', changed: [2] });
    expect((await store.get('p/e/a')).value).toBe('v2');
    await expect(store.delete('p/e/a', { actor, versions: [9] })).rejects.toMatchObject({
      code: 'HUSH_E_NOT_FOUND',
    });
  });

  it('destroy shreds: the data row is gone and cannot be read even with the root key', async () => {
    const t = await unsealed();
    await t.store.put('p/e/a', 'v1', { actor });
    await t.store.put('p/e/a', 'v2', { actor });
    const row = (await t.backend.get('data/p/e/a#1'))!;
    expect(await t.store.destroy('p/e/a', { actor, versions: [1] })).toEqual({ path: 'p/e/a', changed: [1] });
    expect(await t.backend.get('data/p/e/a#1')).toBeUndefined();
    await expect(t.store.get('p/e/a', { version: 1 })).rejects.toMatchObject({ code: 'HUSH_E_DESTROYED' });
    await expect(t.store.undelete('p/e/a', { actor, versions: [1] })).rejects.toMatchObject({
      code: 'HUSH_E_DESTROYED',
    });
    expect(await t.store.versions('p/e/a')).toMatchObject({
      versions: [expect.objectContaining({ version: 1, state: 'destroyed' }), expect.anything()],
    });
    // Putting the old row back (as from an old backup of that one row) still does not resurrect the version.
    await t.backend.put('data/p/e/a#1', row.value);
    await expect(t.store.get('p/e/a', { version: 1 })).rejects.toMatchObject({ code: 'HUSH_E_DESTROYED' });
  });

  it('rollback writes a new version with old content', async () => {
    const { store } = await unsealed();
    await store.put('p/e/a', 'v1', { actor });
    await store.put('p/e/a', 'v2', { actor });
    expect(await store.rollback('p/e/a', { actor, version: 1 })).toMatchObject({ version: 3 });
    expect(await store.get('p/e/a')).toMatchObject({ version: 3, value: 'v1' });
    await store.delete('p/e/a', { actor, versions: [2] });
    await expect(store.rollback('p/e/a', { actor, version: 2 })).rejects.toMatchObject({
      code: 'HUSH_E_DELETED',
    });
    await expect(store.rollback('p/e/a', { actor, version: 1, cas: 1 })).rejects.toMatchObject({
      code: 'HUSH_E_CAS_CONFLICT',
    });
  });
});

describe('list', () => {
  it('with accept: pages hold only accepted entries, the cursor follows the last one, a budget bounds the scan', async () => {
    const { store } = await unsealed();
    for (const p of ['p/e/a-ok', 'p/e/b', 'p/e/c', 'p/e/d-ok', 'p/e/e', 'p/e/f', 'p/e/g']) {
      await store.put(p, 'v', { actor });
    }
    const accept = (e: { name: string }) => e.name.endsWith('-ok');
    const first = await store.list('p/e', { recursive: true, limit: 1, accept });
    expect(first.entries.map((e) => e.name)).toEqual(['a-ok']);
    // The position is just past a-ok (not a skipped name), and the last visible page has no cursor.
    expect(Buffer.from(first.cursor ?? '', 'base64url').toString()).toBe('a-ok');
    const second = await store.list('p/e', { recursive: true, limit: 1, accept, cursor: first.cursor! });
    expect(second).toEqual({ entries: [{ name: 'd-ok', path: 'p/e/d-ok', kind: 'secret' }] });
    const budgeted = await store.list('p/e', { recursive: true, limit: 5, accept, scanBudget: 3 });
    expect(budgeted.entries.map((e) => e.name)).toEqual(['a-ok']);
    expect(Buffer.from(budgeted.cursor ?? '', 'base64url').toString()).toBe('c');
    // A subtree that ends exactly at the budget has no next page: no cursor for an empty extra round trip.
    const exact = await store.list('p/e', { recursive: true, limit: 10, accept, scanBudget: 7 });
    expect(exact).toEqual({
      entries: [
        { name: 'a-ok', path: 'p/e/a-ok', kind: 'secret' },
        { name: 'd-ok', path: 'p/e/d-ok', kind: 'secret' },
      ],
    });
  });

  it('lists one level with folders, recursively, and paginates', async () => {
    const { store } = await unsealed();
    for (const p of [
      'p/e/a',
      'p/e/db',
      'p/e/db/user',
      'p/e/db/pass',
      'p/e/db-x',
      'p/e/z/y/x',
      'p/f/b',
      'q/e/c',
    ]) {
      await store.put(p, 'v', { actor });
    }
    const names = async (prefix: string, o = {}) => (await store.list(prefix, o)).entries.map((e) => e.name);
    expect(await names('p/e')).toEqual(['a', 'db', 'db-x', 'db/', 'z/']);
    expect(await names('p/e/db/')).toEqual(['pass', 'user']);
    expect(await names('p')).toEqual(['e/', 'f/']);
    expect(await names('')).toEqual(['p/', 'q/']);
    expect(await names('p/e', { recursive: true })).toEqual([
      'a',
      'db',
      'db-x',
      'db/pass',
      'db/user',
      'z/y/x',
    ]);
    const first = await store.list('p/e', { limit: 2 });
    expect(first.entries.map((e) => e.path)).toEqual(['p/e/a', 'p/e/db']);
    const second = await store.list('p/e', { limit: 2, cursor: first.cursor! });
    expect(second.entries.map((e) => e.path)).toEqual(['p/e/db-x', 'p/e/db/']);
    const third = await store.list('p/e', { limit: 2, cursor: second.cursor! });
    expect(third).toEqual({ entries: [{ name: 'z/', path: 'p/e/z/', kind: 'folder' }] });
    expect(await names('nothing/here')).toEqual([]);
    await expect(store.list('p/e', { cursor: '!!' })).rejects.toMatchObject({ code: 'HUSH_E_INVALID_INPUT' });
    await expect(store.list('p/e', { limit: 0 })).rejects.toMatchObject({ code: 'HUSH_E_INVALID_INPUT' });
    // A page may be as large as the scan budget (one request for a whole project), not larger.
    expect((await store.list('p/e', { recursive: true, limit: 10_000 })).entries).toHaveLength(6);
    await expect(store.list('p/e', { limit: 10_001 })).rejects.toMatchObject({
      code: 'HUSH_E_INVALID_INPUT',
    });
  });
});

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.js';
import type { StorageBackend } from '../backend.js';
import { MemoryBackend } from '../memory/memory-backend.js';
import { openSqliteBackend } from '../sqlite/sqlite-backend.js';
import { type RowPeek, withReadCache } from './read-cache-backend.js';

const text = (b: Buffer | undefined) => b?.toString('utf8');
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('withReadCache over SQLite', () => {
  let dir: string;
  let raw: StorageBackend;
  let other: StorageBackend;
  let cached: StorageBackend & Partial<RowPeek>;

  beforeEach(async () => {
    dir = await makeTempDir('read-cache');
    raw = await openSqliteBackend({ path: join(dir, 'h.db') });
    // A second real connection stands for another process sharing the file.
    other = await openSqliteBackend({ path: join(dir, 'h.db') });
    cached = withReadCache(raw);
  });
  afterEach(async () => {
    await cached.close();
    await other.close();
    await removeTempDir(dir);
  });

  it('sees a write committed by another connection on the next turn', async () => {
    await other.put('k', Buffer.from('one'));
    await nextTurn();
    expect(text((await cached.get('k'))?.value)).toBe('one');
    await other.put('k', Buffer.from('two'));
    await nextTurn();
    const entry = await cached.get('k');
    expect(text(entry?.value)).toBe('two');
    expect(entry?.revision).toBe(2);
  });

  it('sees a key another connection created after a cached miss', async () => {
    expect(await cached.get('new')).toBeUndefined();
    await other.put('new', Buffer.from('x'));
    await nextTurn();
    expect(text((await cached.get('new'))?.value)).toBe('x');
  });

  it('invalidates on its own writes, deletes and batches', async () => {
    await cached.put('a', Buffer.from('1'));
    expect(text((await cached.get('a'))?.value)).toBe('1');
    await cached.batch([{ op: 'put', key: 'a', value: Buffer.from('2') }]);
    expect(text((await cached.get('a'))?.value)).toBe('2');
    await cached.delete('a');
    expect(await cached.get('a')).toBeUndefined();
  });

  it('hands out copies, so a caller wiping its buffer does not corrupt the cache', async () => {
    await cached.put('a', Buffer.from('secret-bytes'));
    const first = await cached.get('a');
    first?.value.fill(0);
    expect(text((await cached.get('a'))?.value)).toBe('secret-bytes');
  });

  it('does not cache what a read saw when a write raced it', async () => {
    await cached.put('a', Buffer.from('old'));
    const read = cached.get('a');
    const write = cached.put('a', Buffer.from('new'));
    await Promise.all([read, write]);
    expect(text((await cached.get('a'))?.value)).toBe('new');
  });
});

describe('withReadCache peek (the synchronous, no-copy read path)', () => {
  let dir: string;
  let other: StorageBackend;
  let cached: StorageBackend & Partial<RowPeek>;
  const peek = (key: string) => cached.peek!(key);

  beforeEach(async () => {
    dir = await makeTempDir('read-cache-peek');
    other = await openSqliteBackend({ path: join(dir, 'h.db') });
    cached = withReadCache(await openSqliteBackend({ path: join(dir, 'h.db') }), { maxEntries: 8 });
  });
  afterEach(async () => {
    await cached.close();
    await other.close();
    await removeTempDir(dir);
  });

  it('answers only from the cache: undefined until read, then the row, null for a known-absent key', async () => {
    await other.put('k', Buffer.from('one'));
    await nextTurn();
    expect(peek('k')).toBeUndefined();
    await cached.get('k');
    expect(text(peek('k')?.value)).toBe('one');
    expect(peek('k')?.revision).toBe(1);
    await cached.get('missing');
    expect(peek('missing')).toBeNull();
  });

  it('drops everything once another connection commits, checked on the next turn', async () => {
    await other.put('k', Buffer.from('one'));
    await nextTurn();
    await cached.get('k');
    await other.put('k', Buffer.from('two'));
    await nextTurn();
    expect(peek('k')).toBeUndefined();
    expect(text((await cached.get('k'))?.value)).toBe('two');
    await other.put('late', Buffer.from('x'));
    await nextTurn();
    expect(peek('missing')).toBeUndefined();
  });

  it('forgets keys on its own writes at once', async () => {
    await cached.put('a', Buffer.from('1'));
    await cached.get('a');
    expect(peek('a')).toBeDefined();
    const write = cached.batch([{ op: 'put', key: 'a', value: Buffer.from('2') }]);
    expect(peek('a')).toBeUndefined();
    await write;
    expect(peek('a')).toBeUndefined();
    await cached.get('a');
    expect(text(peek('a')?.value)).toBe('2');
  });

  it('keeps a hot row while colder ones are evicted (approximate LRU)', async () => {
    for (let i = 0; i < 40; i += 1) await cached.put(`k${i}`, Buffer.from(`v${i}`));
    await cached.get('hot');
    for (let i = 0; i < 40; i += 1) {
      await cached.get(`k${i}`);
      expect(peek('hot')).toBeNull(); // every hit keeps it in the newer part of the cache
    }
    expect(peek('k0')).toBeUndefined();
    expect(peek('k31')).toBeUndefined();
    expect(text(peek('k39')?.value)).toBe('v39');
  });
});

describe('withReadCache over a backend without a change marker', () => {
  it('passes the backend through uncached', () => {
    const memory = new MemoryBackend();
    expect(withReadCache(memory)).toBe(memory);
  });
});

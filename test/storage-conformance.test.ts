import { afterEach, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../src/storage/backend.js';
import { backendFactories } from './support/backends.js';
import { expectHushErrorAsync as expectHushError } from './support/expect-hush-error.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

/** Every key under `prefix`, following `next` cursors page by page. */
async function listAll(
  b: StorageBackend,
  prefix: string,
  limit: number,
): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await b.list(prefix, { limit, ...(after === undefined ? {} : { after }) });
    pages += 1;
    keys.push(...page.keys);
    if (page.next === undefined) return { keys, pages };
    expect(page.keys).toHaveLength(limit);
    after = page.next;
  }
}

describe.each(backendFactories)('storage conformance: $name', (factory) => {
  afterEach(() => factory.cleanup());

  it('gets what was put, and nothing for a missing key', async () => {
    const b = await factory.open();
    expect(await b.get('a/b')).toBeUndefined();
    await b.put('a/b', bytes('one'));
    const entry = await b.get('a/b');
    expect(entry).toEqual({ key: 'a/b', value: bytes('one'), revision: 1 });
    expect(Buffer.isBuffer(entry?.value)).toBe(true);
  });

  it('starts revisions at 1 and increases them by one per write', async () => {
    const b = await factory.open();
    expect(await b.put('k', bytes('v1'))).toBe(1);
    expect(await b.put('k', bytes('v2'))).toBe(2);
    expect(await b.put('k', bytes('v3'), 2)).toBe(3);
    expect(await b.get('k')).toMatchObject({ value: bytes('v3'), revision: 3 });
    expect(await b.put('other', bytes('x'))).toBe(1);
  });

  it('treats expectedRevision 0 as "must not exist"', async () => {
    const b = await factory.open();
    expect(await b.put('k', bytes('first'), 0)).toBe(1);
    const err = await expectHushError(b.put('k', bytes('second'), 0), 'HUSH_E_CAS_CONFLICT');
    expect(err.message).toContain('expected revision 0, found 1');
    expect(await b.get('k')).toMatchObject({ value: bytes('first'), revision: 1 });
  });

  it('rejects a put at the wrong revision and changes nothing', async () => {
    const b = await factory.open();
    await b.put('k', bytes('a'));
    await b.put('k', bytes('b'));
    await expectHushError(b.put('k', bytes('c'), 1), 'HUSH_E_CAS_CONFLICT');
    await expectHushError(b.put('k', bytes('c'), 3), 'HUSH_E_CAS_CONFLICT');
    await expectHushError(b.put('missing', bytes('c'), 1), 'HUSH_E_CAS_CONFLICT');
    expect(await b.get('k')).toMatchObject({ value: bytes('b'), revision: 2 });
    expect(await b.get('missing')).toBeUndefined();
  });

  it('deletes, with and without check-and-set, and restarts revisions after a delete', async () => {
    const b = await factory.open();
    expect(await b.delete('nothing')).toBe(false);
    expect(await b.delete('nothing', 0)).toBe(false);
    await b.put('k', bytes('a'));
    await b.put('k', bytes('b'));
    await expectHushError(b.delete('k', 1), 'HUSH_E_CAS_CONFLICT');
    await expectHushError(b.delete('k', 0), 'HUSH_E_CAS_CONFLICT');
    expect(await b.get('k')).toMatchObject({ revision: 2 });
    expect(await b.delete('k', 2)).toBe(true);
    expect(await b.get('k')).toBeUndefined();
    expect(await b.delete('k')).toBe(false);
    expect(await b.put('k', bytes('again'), 0)).toBe(1);
  });

  it('lists by prefix in byte order, excluding neighbours', async () => {
    const b = await factory.open();
    for (const k of ['app/b', 'app/a', 'app/c/d', 'app', 'apq', 'ap', 'app0', 'zzz'])
      await b.put(k, bytes(k));
    expect(await b.list('app/')).toEqual({ keys: ['app/a', 'app/b', 'app/c/d'] });
    expect(await b.list('app')).toEqual({ keys: ['app', 'app/a', 'app/b', 'app/c/d', 'app0'] });
    expect((await b.list('')).keys).toEqual(['ap', 'app', 'app/a', 'app/b', 'app/c/d', 'app0', 'apq', 'zzz']);
    expect(await b.list('nope/')).toEqual({ keys: [] });
  });

  it('treats % and _ in prefixes literally', async () => {
    const b = await factory.open();
    for (const k of ['a%/1', 'ab/1', 'a_/1', 'aX/1', 'a\\/1', '100%', '100%/x', '1000'])
      await b.put(k, bytes(k));
    expect((await b.list('a%')).keys).toEqual(['a%/1']);
    expect((await b.list('a_')).keys).toEqual(['a_/1']);
    expect((await b.list('a\\')).keys).toEqual(['a\\/1']);
    expect((await b.list('100%')).keys).toEqual(['100%', '100%/x']);
  });

  it('handles Unicode prefixes and sorts by UTF-8 bytes, not UTF-16 units', async () => {
    const b = await factory.open();
    // U+FF5E sorts before U+1F511 in UTF-8 but after it in UTF-16 code units.
    const keys = [
      'é/1',
      'é/2',
      'e/1',
      '\u{FF5E}',
      '\u{1F511}/a',
      '\u{1F511}/b',
      '\u{10FFFF}x',
      '\u{10FFFF}\u{10FFFF}',
    ];
    for (const k of keys) await b.put(k, bytes(k));
    expect((await b.list('é/')).keys).toEqual(['é/1', 'é/2']);
    expect((await b.list('\u{1F511}')).keys).toEqual(['\u{1F511}/a', '\u{1F511}/b']);
    expect((await b.list('\u{10FFFF}')).keys).toEqual(['\u{10FFFF}x', '\u{10FFFF}\u{10FFFF}']);
    expect((await b.list('')).keys).toEqual([
      'e/1',
      'é/1',
      'é/2',
      '\u{FF5E}',
      '\u{1F511}/a',
      '\u{1F511}/b',
      '\u{10FFFF}x',
      '\u{10FFFF}\u{10FFFF}',
    ]);
    expect(await b.get('\u{1F511}/a')).toMatchObject({ value: bytes('\u{1F511}/a') });
  });

  it('keeps keys with NUL and control characters whole', async () => {
    const b = await factory.open();
    for (const k of ['a', 'a\u0000', 'a\u0000b', 'a\u0001', 'a\n']) await b.put(k, bytes(JSON.stringify(k)));
    expect((await b.list('a\u0000')).keys).toEqual(['a\u0000', 'a\u0000b']);
    expect((await b.list('a')).keys).toEqual(['a', 'a\u0000', 'a\u0000b', 'a\u0001', 'a\n']);
    expect(await b.get('a\u0000b')).toMatchObject({ key: 'a\u0000b', value: bytes('"a\\u0000b"') });
  });

  it('paginates with limit, after and next across many pages', async () => {
    const b = await factory.open();
    const expected: string[] = [];
    for (let i = 0; i < 257; i++) {
      const k = `p/${String(i).padStart(4, '0')}`;
      expected.push(k);
      await b.put(k, bytes(String(i)));
    }
    await b.put('o/outside', bytes('x'));
    await b.put('q/outside', bytes('x'));
    const { keys, pages } = await listAll(b, 'p/', 10);
    expect(keys).toEqual(expected);
    expect(pages).toBe(26);
    const first = await b.list('p/', { limit: 3 });
    expect(first).toEqual({ keys: expected.slice(0, 3), next: expected[2] });
    expect(await b.list('p/', { after: expected[255]!, limit: 1 })).toEqual({ keys: [expected[256]] });
    // Exactly `limit` keys left: no `next`, so callers do not fetch an empty page.
    expect(await b.list('p/', { after: expected[246]!, limit: 10 })).toEqual({ keys: expected.slice(247) });
    // A cursor before the prefix range starts at the prefix; one after it yields nothing.
    expect((await b.list('p/', { after: 'a', limit: 2 })).keys).toEqual(expected.slice(0, 2));
    expect(await b.list('p/', { after: 'z' })).toEqual({ keys: [] });
    // The cursor need not be a stored key.
    expect((await b.list('p/', { after: 'p/0100x', limit: 1 })).keys).toEqual(['p/0101']);
  });

  it('caps pages at 1000 keys and rejects a limit below 1', async () => {
    const b = await factory.open();
    await b.batch(
      Array.from({ length: 1001 }, (_, i) => ({
        op: 'put' as const,
        key: `k/${1000 + i}`,
        value: bytes(''),
      })),
    );
    const page = await b.list('k/', { limit: 5000 });
    expect(page.keys).toHaveLength(1000);
    expect(page.next).toBe('k/1999');
    expect((await b.list('k/')).keys).toHaveLength(1000);
    await expect(b.list('k/', { limit: 0 })).rejects.toThrow(RangeError);
    await expect(b.list('k/', { limit: 1.5 })).rejects.toThrow(RangeError);
  });

  it('applies a batch atomically: a failing check-and-set in the middle changes nothing', async () => {
    const b = await factory.open();
    await b.put('a', bytes('a1'));
    await b.put('c', bytes('c1'));
    await expectHushError(
      b.batch([
        { op: 'put', key: 'a', value: bytes('a2'), expectedRevision: 1 },
        { op: 'put', key: 'b', value: bytes('b1') },
        { op: 'put', key: 'c', value: bytes('c2'), expectedRevision: 7 },
        { op: 'delete', key: 'a' },
      ]),
      'HUSH_E_CAS_CONFLICT',
    );
    expect(await b.get('a')).toMatchObject({ value: bytes('a1'), revision: 1 });
    expect(await b.get('b')).toBeUndefined();
    expect(await b.get('c')).toMatchObject({ value: bytes('c1'), revision: 1 });
    await b.batch([
      { op: 'put', key: 'a', value: bytes('a2'), expectedRevision: 1 },
      { op: 'put', key: 'b', value: bytes('b1'), expectedRevision: 0 },
      { op: 'delete', key: 'c', expectedRevision: 1 },
    ]);
    expect(await b.get('a')).toMatchObject({ value: bytes('a2'), revision: 2 });
    expect(await b.get('b')).toMatchObject({ value: bytes('b1'), revision: 1 });
    expect(await b.get('c')).toBeUndefined();
    await b.batch([]);
  });

  it('lets later ops of a batch see earlier ones', async () => {
    const b = await factory.open();
    await b.batch([
      { op: 'put', key: 'k', value: bytes('1'), expectedRevision: 0 },
      { op: 'put', key: 'k', value: bytes('2'), expectedRevision: 1 },
      { op: 'delete', key: 'gone', expectedRevision: 0 },
    ]);
    expect(await b.get('k')).toMatchObject({ value: bytes('2'), revision: 2 });
    await b.batch([
      { op: 'delete', key: 'k', expectedRevision: 2 },
      { op: 'put', key: 'k', value: bytes('new'), expectedRevision: 0 },
    ]);
    expect(await b.get('k')).toMatchObject({ value: bytes('new'), revision: 1 });
  });

  it('stores binary values exactly: empty, every byte value, 1 MiB, and Uint8Array views', async () => {
    const b = await factory.open();
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const big = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 8)) & 0xff;
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    await b.put('empty', new Uint8Array(0));
    await b.put('all', all);
    await b.put('big', big);
    await b.put('view', backing.subarray(2, 5));
    expect((await b.get('empty'))?.value).toEqual(Buffer.alloc(0));
    expect((await b.get('all'))?.value.equals(all)).toBe(true);
    expect((await b.get('big'))?.value.equals(big)).toBe(true);
    expect((await b.get('view'))?.value).toEqual(Buffer.from([1, 2, 3]));
  });

  it('does not share buffers with the caller', async () => {
    const b = await factory.open();
    const value = Buffer.from('original');
    await b.put('k', value);
    value.fill(0);
    const read = await b.get('k');
    read!.value.fill(0);
    expect((await b.get('k'))?.value).toEqual(Buffer.from('original'));
  });

  it('lets exactly one of several concurrent puts at the same revision win', async () => {
    const b = await factory.open();
    await b.put('k', bytes('base'));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => b.put('k', bytes(`writer ${i}`), 1)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(won[0]).toEqual({ status: 'fulfilled', value: 2 });
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'HUSH_E_CAS_CONFLICT' });
    }
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    expect(await b.get('k')).toMatchObject({ value: bytes(`writer ${winner}`), revision: 2 });
  });

  it('fails every call with HUSH_E_STORAGE after close, and close is idempotent', async () => {
    const b = await factory.open();
    await b.put('k', bytes('v'));
    await b.close();
    await b.close();
    await expectHushError(b.get('k'), 'HUSH_E_STORAGE');
    await expectHushError(b.put('k', bytes('w')), 'HUSH_E_STORAGE');
    await expectHushError(b.delete('k'), 'HUSH_E_STORAGE');
    await expectHushError(b.list(''), 'HUSH_E_STORAGE');
    await expectHushError(b.batch([]), 'HUSH_E_STORAGE');
    await expectHushError(b.batch([{ op: 'delete', key: 'k' }]), 'HUSH_E_STORAGE');
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../storage/memory/memory-backend.js';
import { compareBackends } from './compare-backends.js';
import { CHECKPOINT_KEY } from './migrate-checkpoint.js';

async function backendWith(rows: Record<string, string>): Promise<MemoryBackend> {
  const b = new MemoryBackend();
  for (const [k, v] of Object.entries(rows)) await b.put(k, Buffer.from(v));
  return b;
}

describe('compareBackends', () => {
  it('equal row sets compare equal across pages, ignoring the skipped checkpoint key', async () => {
    const rows = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`k/${String(i).padStart(2, '0')}`, `v${i}`]),
    );
    const source = await backendWith(rows);
    const target = await backendWith({ ...rows, [CHECKPOINT_KEY]: '{}' });
    const c = await compareBackends(source, target, { skip: CHECKPOINT_KEY, pageSize: 7 });
    expect(c).toMatchObject({ equal: true, differenceCount: 0 });
    expect(c.source).toEqual(c.target);
    expect(c.source.rows).toBe(25);
  });

  it('names missing, extra and changed keys in key order and counts beyond the listed ones', async () => {
    const source = await backendWith({ a: '1', b: '2', c: '3', e: '5' });
    const target = await backendWith({ a: '1', b: 'X', d: '4', e: '5' });
    const c = await compareBackends(source, target, { pageSize: 2, maxListed: 2 });
    expect(c.equal).toBe(false);
    expect(c.differenceCount).toBe(3);
    expect(c.differences).toEqual([
      { key: 'b', difference: 'value differs' },
      { key: 'c', difference: 'missing in target' },
    ]);
    expect(c.source.rows).toBe(4);
    expect(c.source.sha256).not.toBe(c.target.sha256);
  });

  it('orders keys by UTF-8 bytes, as every backend lists them', async () => {
    // U+FF5E sorts before U+1F600 in UTF-8 but after its surrogates in UTF-16: a JS string compare would misalign.
    const source = await backendWith({ 'k\uff5e': '1', 'k\u{1f600}': '2' });
    const target = await backendWith({ 'k\u{1f600}': '2' });
    const c = await compareBackends(source, target);
    expect(c.differences).toEqual([{ key: 'k\uff5e', difference: 'missing in target' }]);
  });
});

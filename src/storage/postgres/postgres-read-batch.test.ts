import { describe, expect, it } from 'vitest';
import type { StorageEntry } from '../backend.js';
import { createReadBatcher, MAX_BATCH_KEYS } from './postgres-read-batch.js';

const entry = (key: string): StorageEntry => ({ key, value: Buffer.from(`v:${key}`), revision: 1 });

describe('read batcher', () => {
  it('sends the reads of one turn as one query of distinct keys, and gives each reader its own buffer', async () => {
    const calls: string[][] = [];
    const get = createReadBatcher(async (keys) => {
      calls.push([...keys]);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, entry(k)]));
    });
    const [a1, b, a2, missing] = await Promise.all([get('a'), get('b'), get('a'), get('missing')]);
    expect(calls).toEqual([['a', 'b', 'missing']]);
    expect(a1?.value.toString()).toBe('v:a');
    expect(a2?.value.toString()).toBe('v:a');
    expect(a1?.value).not.toBe(a2?.value);
    expect(b?.revision).toBe(1);
    expect(missing).toBeUndefined();
    // A read issued after a query was sent never joins it: it gets a query of its own.
    await get('a');
    expect(calls).toHaveLength(2);
  });

  it('never lets a read join a query already in flight', async () => {
    const sent: string[][] = [];
    let release: () => void = () => undefined;
    const get = createReadBatcher(async (keys) => {
      sent.push([...keys]);
      if (sent.length === 1) await new Promise<void>((r) => (release = r));
      return new Map(keys.map((k) => [k, entry(k)]));
    });
    const first = get('k');
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(1); // the first query is in flight
    const second = get('k');
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(2);
    release();
    await Promise.all([first, second]);
  });

  it('splits a large turn and rejects every reader of a failed query', async () => {
    const sizes: number[] = [];
    const get = createReadBatcher(async (keys) => {
      sizes.push(keys.length);
      if (keys.includes('bad')) throw new Error('down');
      return new Map();
    });
    const keys = Array.from({ length: MAX_BATCH_KEYS + 10 }, (_, i) => `k${i}`);
    await Promise.all(keys.map(get));
    expect(sizes).toEqual([MAX_BATCH_KEYS, 10]);
    const results = await Promise.allSettled([get('bad'), get('bad'), get('x')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});

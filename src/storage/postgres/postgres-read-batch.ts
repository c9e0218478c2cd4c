import type { StorageEntry } from '../backend.js';

/** Most keys sent in one batched read; a larger turn is split into several queries. */
export const MAX_BATCH_KEYS = 256;

interface Waiter {
  readonly key: string;
  resolve(entry: StorageEntry | undefined): void;
  reject(err: unknown): void;
}

/** Fetch the rows at `keys` (distinct) in one statement; absent keys are simply missing from the map. */
export type FetchMany = (keys: readonly string[]) => Promise<Map<string, StorageEntry>>;

/**
 * Coalesce the point reads issued during one event-loop turn into one `key = ANY(...)` query per
 * {@link MAX_BATCH_KEYS} keys. Under load, concurrent requests read the same rows (keyrings, token, policy), and a
 * node would otherwise queue dozens of identical round trips behind its small pool.
 *
 * Why this stays strictly read-after-acknowledge: a read only ever joins a query that has not been sent yet, and
 * the query is sent after every read in it was issued. Under READ COMMITTED a statement sees every transaction
 * committed before it started, so each read still sees every write acknowledged (anywhere) before it was issued —
 * exactly as if it had run alone. (Joining a query already in flight would not: it may predate the write.)
 */
export function createReadBatcher(fetchMany: FetchMany): (key: string) => Promise<StorageEntry | undefined> {
  let pending: Waiter[] = [];

  async function flush(waiters: Waiter[]): Promise<void> {
    const keys = [...new Set(waiters.map((w) => w.key))];
    try {
      const rows = await fetchMany(keys);
      const handedOut = new Set<string>();
      for (const w of waiters) {
        const entry = rows.get(w.key);
        // Each caller owns its buffer (some wipe what they read): a second reader of a key gets a copy.
        if (entry && handedOut.has(w.key)) w.resolve({ ...entry, value: Buffer.from(entry.value) });
        else w.resolve(entry);
        handedOut.add(w.key);
      }
    } catch (err) {
      for (const w of waiters) w.reject(err);
    }
  }

  function flushAll(): void {
    const waiters = pending;
    pending = [];
    // Split by distinct keys so a turn with many keys does not build one huge statement.
    let chunk: Waiter[] = [];
    let distinct = new Set<string>();
    for (const w of waiters) {
      if (!distinct.has(w.key) && distinct.size >= MAX_BATCH_KEYS) {
        void flush(chunk);
        chunk = [];
        distinct = new Set();
      }
      distinct.add(w.key);
      chunk.push(w);
    }
    if (chunk.length > 0) void flush(chunk);
  }

  return (key) =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(flushAll);
      pending.push({ key, resolve, reject });
    });
}

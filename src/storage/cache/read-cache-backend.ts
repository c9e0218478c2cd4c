import type { BatchOp, ListOptions, ListPage, StorageBackend, StorageEntry } from '../backend.js';

/** A cached row (null: known absent) and its insertion counter for the approximate LRU. */
interface Slot {
  readonly entry: StorageEntry | null;
  seq: number;
}

/** Options of the read cache. */
export interface ReadCacheOptions {
  /** Most entries kept (least recently used are dropped first). Default 10,000. */
  readonly maxEntries?: number;
}

/** A backend whose cached rows can be read synchronously, without a copy (see {@link withReadCache}). */
export interface RowPeek {
  /**
   * The cached row at `key` (null: cached as absent), or undefined when it is not cached (call `get`). The entry is
   * shared with the cache: callers must treat its buffer as read-only and never wipe or keep a view of it.
   */
  peek(key: string): StorageEntry | null | undefined;
}

/**
 * A read-through cache of storage rows (ciphertext only: rows are encrypted above storage) in front of a backend.
 *
 * Why: an encrypted read touches three rows (keyring, metadata, value); serving them from memory is what lets an
 * encrypted get run at a useful fraction of a raw SQLite read. Correctness: our own writes invalidate their keys,
 * and the backend's external change marker (another process committed) clears everything. The marker is checked
 * once per event-loop turn, so one store operation sees one consistent snapshot. A backend without a marker is
 * passed through uncached.
 */
export function withReadCache(
  backend: StorageBackend,
  options: ReadCacheOptions = {},
): StorageBackend & Partial<RowPeek> {
  const marker = backend.externalChangeMarker?.bind(backend);
  if (!marker) return backend;
  const maxEntries = options.maxEntries ?? 10_000;
  // Insertion order is recency order; `seq` is the insertion counter at the slot's last (re)insertion.
  const rows = new Map<string, Slot>();
  let inserted = 0;
  let lastMarker = marker();
  let checkedThisTurn = false;
  // Bumped by every write: a read that raced a write (started before, finished after) must not cache what it saw.
  let generation = 0;

  function sync(): void {
    if (checkedThisTurn) return;
    checkedThisTurn = true;
    setImmediate(() => {
      checkedThisTurn = false;
    });
    const now = marker!();
    if (now !== lastMarker) {
      rows.clear();
      lastMarker = now;
    }
  }

  function remember(key: string, entry: StorageEntry | null): void {
    if (rows.size >= maxEntries) rows.delete(rows.keys().next().value as string);
    rows.set(key, { entry, seq: inserted++ });
  }

  async function write<T>(keys: readonly string[], run: () => Promise<T>): Promise<T> {
    generation += 1;
    for (const k of keys) rows.delete(k);
    try {
      return await run();
    } finally {
      generation += 1;
      for (const k of keys) rows.delete(k);
    }
  }

  /** The cached row (refreshing its recency), null when cached as absent, undefined when not cached. */
  function lookup(key: string): StorageEntry | null | undefined {
    sync();
    const slot = rows.get(key);
    if (slot === undefined) return undefined;
    // Approximate LRU: move a hit to the back only once it has drifted into the older half, so a hot row costs
    // one map lookup instead of a delete and re-insert, yet still outlives at least maxEntries/2 newer rows.
    if (inserted - slot.seq > maxEntries >> 1) {
      rows.delete(key);
      slot.seq = inserted++;
      rows.set(key, slot);
    }
    return slot.entry;
  }

  return {
    kind: backend.kind,
    // Internal fast path (the store's read path): same coherence as get, no promise, no copy.
    peek: lookup,
    async get(key: string): Promise<StorageEntry | undefined> {
      const hit = lookup(key);
      if (hit !== undefined) {
        // Hand out a copy so a caller that wipes or edits its buffer cannot corrupt the cache.
        return hit === null ? undefined : { key, value: Buffer.from(hit.value), revision: hit.revision };
      }
      const seen = generation;
      const entry = await backend.get(key);
      if (seen === generation)
        remember(key, entry ? { key, value: Buffer.from(entry.value), revision: entry.revision } : null);
      return entry;
    },
    put: (key: string, value: Uint8Array, expectedRevision?: number) =>
      write([key], () => backend.put(key, value, expectedRevision)),
    delete: (key: string, expectedRevision?: number) =>
      write([key], () => backend.delete(key, expectedRevision)),
    batch: (ops: readonly BatchOp[]) =>
      write(
        ops.map((o) => o.key),
        () => backend.batch(ops),
      ),
    list: (prefix: string, opts?: ListOptions): Promise<ListPage> => backend.list(prefix, opts),
    externalChangeMarker: () => marker(),
    async close(): Promise<void> {
      rows.clear();
      await backend.close();
    },
  };
}

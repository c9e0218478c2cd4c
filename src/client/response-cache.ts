/** Options of the client's read cache. */
export interface CacheOptions {
  /** How long a GET reply is reused, in milliseconds. */
  readonly ttlMs: number;
}

/**
 * A small in-memory TTL cache of GET replies, keyed by URL. Any write through the same client clears it, so a
 * client always reads its own writes; writes by others show up after at most `ttlMs`. Entries hold secret values
 * in process memory (never on disk); leave the cache off when that matters.
 */
export interface ResponseCache {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  clear(): void;
}

/** Build the cache; `now` is injectable for tests of expiry. */
export function createResponseCache(options: CacheOptions, now: () => number = Date.now): ResponseCache {
  if (!(options.ttlMs > 0)) throw new RangeError(`cache.ttlMs must be > 0, got ${options.ttlMs}`);
  const entries = new Map<string, { expires: number; value: unknown }>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (hit.expires <= now()) {
        entries.delete(key);
        return undefined;
      }
      return structuredClone(hit.value); // callers may mutate what they get
    },
    set(key, value) {
      entries.set(key, { expires: now() + options.ttlMs, value: structuredClone(value) });
    },
    clear() {
      entries.clear();
    },
  };
}

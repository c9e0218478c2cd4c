/**
 * A Map that keeps at most `maxKeys` entries, evicting a least recently touched one: rule state stays bounded
 * however many identities or addresses an attacker invents. Recency is approximate, as in the storage read cache: a
 * touched entry moves to the back only once it has drifted into the older half, so a hot key costs one lookup
 * instead of a delete and re-insert per event, yet still outlives at least maxKeys/2 newer keys.
 */
export class BoundedMap<K, V> {
  readonly #map = new Map<K, { value: V; seq: number }>();
  #inserted = 0;
  constructor(readonly maxKeys: number) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1)
      throw new RangeError(`maxKeys must be >= 1, got ${maxKeys}`);
  }

  /** The value of `key`, marking it recently used. */
  get(key: K): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    if (this.#inserted - slot.seq > this.maxKeys >> 1) {
      this.#map.delete(key);
      slot.seq = this.#inserted++;
      this.#map.set(key, slot);
    }
    return slot.value;
  }

  /** Set `key` (most recently used), evicting the oldest entry when over the bound. */
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, { value, seq: this.#inserted++ });
    if (this.#map.size > this.maxKeys) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
  }

  /** True when `key` is kept (does not mark it used). */
  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** Forget `key`. */
  delete(key: K): void {
    this.#map.delete(key);
  }

  /** Entries kept. */
  get size(): number {
    return this.#map.size;
  }

  /** Keys, least recently used first (approximately: see the class comment). */
  keys(): IterableIterator<K> {
    return this.#map.keys();
  }
}

/**
 * Per-key event counter over a sliding window: `add` records one event at `t` (ms) and returns how many events the
 * key has in `(t - windowMs, t]`. At most `cap` timestamps are kept per key (counts saturate there).
 */
export function createWindowCounter(options: { windowMs: number; cap: number; maxKeys: number }) {
  const times = new BoundedMap<string, number[]>(options.maxKeys);
  return {
    add(key: string, t: number): number {
      const kept = (times.get(key) ?? []).filter((x) => x > t - options.windowMs && x <= t);
      kept.push(t);
      if (kept.length > options.cap) kept.splice(0, kept.length - options.cap);
      times.set(key, kept);
      return kept.length;
    },
    /** Forget a key (e.g. a successful login clears its failures). */
    reset(key: string): void {
      times.delete(key);
    },
  };
}

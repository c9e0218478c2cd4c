import type { StorageBackend, StorageEntry } from '../storage/backend.js';

/** Options of {@link walkRows}. */
export interface WalkOptions {
  /** Start after this key (a resume cursor). */
  readonly after?: string;
  /** Keys per listing page (1..1000). */
  readonly pageSize?: number;
  /** A key to skip (the migration checkpoint in a target). */
  readonly skip?: string;
}

/**
 * Every row of a backend, in key order, page by page: list a page of keys, then get each. A key listed but gone
 * by the time it is read (deleted by a concurrent writer) is skipped; verification reports such changes.
 */
export async function* walkPages(
  backend: Pick<StorageBackend, 'list' | 'get'>,
  options: WalkOptions = {},
): AsyncGenerator<StorageEntry[]> {
  let after = options.after;
  for (;;) {
    const page = await backend.list('', {
      ...(after !== undefined ? { after } : {}),
      ...(options.pageSize ? { limit: options.pageSize } : {}),
    });
    // All gets of a page at once: a pooled backend (PostgreSQL) runs them on several connections; order is kept.
    const keys = page.keys.filter((key) => key !== options.skip);
    const entries = await Promise.all(keys.map((key) => backend.get(key)));
    const rows = entries.filter((entry): entry is StorageEntry => entry !== undefined);
    if (rows.length > 0) yield rows;
    if (page.next === undefined) return;
    after = page.next;
  }
}

/** {@link walkPages} one row at a time. */
export async function* walkRows(
  backend: Pick<StorageBackend, 'list' | 'get'>,
  options: WalkOptions = {},
): AsyncGenerator<StorageEntry> {
  for await (const page of walkPages(backend, options)) yield* page;
}

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
    const rows: StorageEntry[] = [];
    for (const key of page.keys) {
      if (key === options.skip) continue;
      const entry = await backend.get(key);
      if (entry) rows.push(entry);
    }
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

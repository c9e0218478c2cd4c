/**
 * The narrow, transactional storage interface every backend implements (memory, SQLite, later PostgreSQL and
 * DynamoDB). Storage sees keys (paths) and opaque bytes only: everything above it is encrypted.
 *
 * Revisions: every key carries a revision number that starts at 1 and increases by one on each write. Writers
 * pass `expectedRevision` for check-and-set: `0` means "must not exist", a positive number means "must be at this
 * revision". A mismatch raises HUSH_E_CAS_CONFLICT and changes nothing.
 */
export interface StorageEntry {
  readonly key: string;
  readonly value: Buffer;
  readonly revision: number;
}

/** One operation of an atomic batch. */
export type BatchOp =
  | {
      readonly op: 'put';
      readonly key: string;
      readonly value: Uint8Array;
      readonly expectedRevision?: number;
    }
  | { readonly op: 'delete'; readonly key: string; readonly expectedRevision?: number };

/** Options for listing keys. */
export interface ListOptions {
  /** Return only keys strictly greater than this one (pagination cursor). */
  readonly after?: string;
  /** At most this many keys (default and maximum 1000). */
  readonly limit?: number;
}

/** One page of a listing; `next` is the cursor for the following page, absent on the last page. */
export interface ListPage {
  readonly keys: string[];
  readonly next?: string;
}

/** The storage backend contract; see the shared conformance suite in test/storage-conformance.test.ts. */
export interface StorageBackend {
  /** Backend name for status output, e.g. `sqlite`. */
  readonly kind: string;
  /** The entry at `key`, or undefined. */
  get(key: string): Promise<StorageEntry | undefined>;
  /** Write `value` at `key` (check-and-set when `expectedRevision` is given); returns the new revision. */
  put(key: string, value: Uint8Array, expectedRevision?: number): Promise<number>;
  /** Delete `key` (check-and-set when `expectedRevision` is given); returns whether something was deleted. */
  delete(key: string, expectedRevision?: number): Promise<boolean>;
  /** Keys starting with `prefix`, in byte order, paginated. */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Apply all operations atomically: all succeed, or none does (a CAS mismatch anywhere aborts the batch). */
  batch(ops: readonly BatchOp[]): Promise<void>;
  /** Release resources; further calls fail. */
  close(): Promise<void>;
  /**
   * A marker that changes whenever another connection or process commits a write (SQLite: `PRAGMA data_version`).
   * Backends that can tell cheaply implement it; a read cache over a backend without it never caches.
   */
  externalChangeMarker?(): number;
}

/** The largest page a listing returns. */
export const MAX_LIST_LIMIT = 1000;

import { HushError } from '../../core/errors/hush-error.js';
import {
  type BatchOp,
  type ListOptions,
  type ListPage,
  MAX_LIST_LIMIT,
  type StorageBackend,
  type StorageEntry,
} from '../backend.js';
import { checkRevision } from '../check-revision.js';

/** An in-memory backend for tests and ephemeral dev stores. Same contract as every other backend. */
export class MemoryBackend implements StorageBackend {
  readonly kind = 'memory';
  private readonly rows = new Map<string, { value: Buffer; revision: number }>();
  private closed = false;

  async get(key: string): Promise<StorageEntry | undefined> {
    this.assertOpen();
    const row = this.rows.get(key);
    return row ? { key, value: Buffer.from(row.value), revision: row.revision } : undefined;
  }

  async put(key: string, value: Uint8Array, expectedRevision?: number): Promise<number> {
    await this.batch([{ op: 'put', key, value, expectedRevision }]);
    return this.rows.get(key)!.revision;
  }

  async delete(key: string, expectedRevision?: number): Promise<boolean> {
    this.assertOpen();
    const existed = this.rows.has(key);
    await this.batch([{ op: 'delete', key, expectedRevision }]);
    return existed;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    this.assertOpen();
    const limit = Math.min(options.limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT);
    const keys = [...this.rows.keys()]
      .filter((k) => k.startsWith(prefix) && (options.after === undefined || k > options.after))
      .sort();
    const page = keys.slice(0, limit);
    return keys.length > limit ? { keys: page, next: page[page.length - 1] } : { keys: page };
  }

  async batch(ops: readonly BatchOp[]): Promise<void> {
    this.assertOpen();
    for (const op of ops) checkRevision(op, this.rows.get(op.key)?.revision ?? 0);
    for (const op of ops) {
      if (op.op === 'put') {
        const revision = (this.rows.get(op.key)?.revision ?? 0) + 1;
        this.rows.set(op.key, { value: Buffer.from(op.value), revision });
      } else {
        this.rows.delete(op.key);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new HushError('HUSH_E_STORAGE', 'the memory backend is closed; open a new store');
  }
}

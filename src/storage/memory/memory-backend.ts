import { hushError } from '../../core/errors/index.js';
import type { BatchOp, ListOptions, ListPage, StorageBackend, StorageEntry } from '../backend.js';
import { pageSize } from '../backend-helpers.js';
import { checkRevision } from '../check-revision.js';
import { type MemoryConfigInput, parseMemoryConfig } from './memory-config.js';

interface Row {
  readonly value: Buffer;
  readonly revision: number;
}

/** UTF-8 byte order, as every other backend sorts; JS `<` compares UTF-16 code units, which differs for astral
 * characters versus U+E000..U+FFFF. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** An in-memory backend for tests and ephemeral dev stores. Same contract as every other backend. */
export class MemoryBackend implements StorageBackend {
  readonly kind = 'memory';
  private readonly rows = new Map<string, Row>();
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
    const limit = pageSize(options.limit);
    const { after } = options;
    const keys = [...this.rows.keys()]
      .filter((k) => k.startsWith(prefix) && (after === undefined || byteOrder(k, after) > 0))
      .sort(byteOrder);
    const page = keys.slice(0, limit);
    return keys.length > page.length ? { keys: page, next: page[page.length - 1]! } : { keys: page };
  }

  async batch(ops: readonly BatchOp[]): Promise<void> {
    this.assertOpen();
    // Stage changes so each op sees the earlier ops of the batch, and commit only when every check passed.
    const staged = new Map<string, Row | undefined>();
    for (const op of ops) {
      const current = (staged.has(op.key) ? staged.get(op.key) : this.rows.get(op.key))?.revision ?? 0;
      checkRevision(op, current);
      staged.set(
        op.key,
        op.op === 'put' ? { value: Buffer.from(op.value), revision: current + 1 } : undefined,
      );
    }
    for (const [key, row] of staged) {
      if (row) this.rows.set(key, row);
      else this.rows.delete(key);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw hushError('MEMORY_BACKEND_CLOSED');
  }
}

/** Open an empty memory backend (the same call shape as every adapter's `open<Name>Backend`). */
export async function openMemoryBackend(input: MemoryConfigInput = {}): Promise<MemoryBackend> {
  parseMemoryConfig(input);
  return new MemoryBackend();
}

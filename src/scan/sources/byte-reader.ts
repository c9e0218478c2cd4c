import { StringDecoder } from 'node:string_decoder';

/**
 * A pull reader over a byte stream: read exact amounts (headers), stream a body of known length, skip the rest.
 * Archive formats are read through it so that only one header or one bounded piece is in memory at a time.
 */
export class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Uint8Array>;
  private ended = false;
  /** Bytes consumed so far (read, taken or skipped; not peeked). */
  consumed = 0;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    this.it =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
        : toAsync(source as Iterable<Uint8Array>);
  }

  /** Make at least `n` bytes available (fewer only at the end of the stream); false when none are left at all. */
  async fill(n: number): Promise<boolean> {
    if (this.buf.length >= n) return true;
    const parts: Buffer[] = [this.buf];
    let have = this.buf.length;
    while (have < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      const b = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      parts.push(b);
      have += b.length;
    }
    if (parts.length > 1) this.buf = Buffer.concat(parts, have);
    return this.buf.length > 0;
  }

  /** The next `n` bytes without consuming them (fewer at the end). */
  async peek(n: number): Promise<Buffer> {
    await this.fill(n);
    return this.buf.subarray(0, Math.min(n, this.buf.length));
  }

  /** Consume and return the next `n` bytes (a copy; fewer at the end of the stream). */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const out = Buffer.from(this.buf.subarray(0, Math.min(n, this.buf.length)));
    this.buf = this.buf.subarray(out.length);
    this.consumed += out.length;
    return out;
  }

  /** Consume the next `n` bytes piece by piece, as they arrive (never more than one source chunk at a time). */
  async *take(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0 && !(await this.fill(1))) return;
      const piece = Buffer.from(this.buf.subarray(0, Math.min(left, this.buf.length)));
      this.buf = this.buf.subarray(piece.length);
      left -= piece.length;
      this.consumed += piece.length;
      yield piece;
    }
  }

  /** Discard the next `n` bytes. */
  async skip(n: number): Promise<void> {
    for await (const _ of this.take(n)) {
      // Draining: the bytes are not needed.
    }
  }

  /** Stop reading the source (closes files and child streams early). */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** Text chunks of a byte stream (UTF-8, split safely between multi-byte characters). */
export async function* textChunks(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const dec = new StringDecoder('utf8');
  for await (const b of bytes) {
    const s = dec.write(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    if (s) yield s;
  }
  const rest = dec.end();
  if (rest) yield rest;
}

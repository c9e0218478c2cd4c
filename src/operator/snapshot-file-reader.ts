import { type FileHandle, open } from 'node:fs/promises';
import { hushError } from '../core/errors/index.js';
import { MAX_FIELD_BYTES } from './snapshot-format.js';

/** Sequential reads of a snapshot file with coded errors for a short or corrupt file. */
export class SnapshotFileReader {
  private position = 0;
  private constructor(
    private readonly fh: FileHandle,
    readonly file: string,
    readonly size: number,
  ) {}

  /** Open `file` for reading; a missing file is HUSH_E_NOT_FOUND. */
  static async open(file: string): Promise<SnapshotFileReader> {
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw code === 'ENOENT'
        ? hushError('SNAPSHOT_FILE_MISSING', { file, code })
        : hushError('SNAPSHOT_FILE_UNREADABLE', { file, code });
    }
    return new SnapshotFileReader(fh, file, (await fh.stat()).size);
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.size - this.position;
  }

  /** Exactly `n` bytes; `where` names the part for the truncation message. */
  async exactly(n: number, where: string): Promise<Buffer> {
    if (n > this.remaining) {
      throw hushError('SNAPSHOT_TRUNCATED_ENDS_INSIDE_BYTES', {
        file: this.file,
        where,
        remaining: this.remaining,
        n,
      });
    }
    const buf = Buffer.allocUnsafe(n);
    const { bytesRead } = await this.fh.read(buf, 0, n, this.position);
    if (bytesRead !== n) throw hushError('SNAPSHOT_SHRANK_WHILE_BEING_READ', { file: this.file });
    this.position += n;
    return buf;
  }

  /** A u32 length prefix followed by that many bytes. */
  async field(where: string): Promise<Buffer> {
    const n = (await this.exactly(4, where)).readUInt32BE();
    if (n > MAX_FIELD_BYTES) {
      throw hushError('SNAPSHOT_CLAIMS_BYTES_MORE_THAN', {
        file: this.file,
        where,
        n,
        maxFieldBytes: MAX_FIELD_BYTES,
      });
    }
    return this.exactly(n, where);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
